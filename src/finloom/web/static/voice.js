// The assistant page's microphone button: record, convert to 16 kHz mono 16-bit WAV in the browser,
// send it to /assistant/voice, play the spoken reply. The transcript refreshes itself (htmx polling).
(function () {
  "use strict";
  var button = document.getElementById("record");
  if (!button) { return; }
  var status = document.getElementById("voice-status");
  var player = document.getElementById("voice-reply");
  var recorder = null, chunks = [];

  function wav(samples, rate) {
    var buffer = new ArrayBuffer(44 + samples.length * 2), view = new DataView(buffer);
    function text(offset, s) { for (var i = 0; i < s.length; i++) { view.setUint8(offset + i, s.charCodeAt(i)); } }
    text(0, "RIFF"); view.setUint32(4, 36 + samples.length * 2, true); text(8, "WAVE"); text(12, "fmt ");
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true);
    view.setUint16(34, 16, true); text(36, "data"); view.setUint32(40, samples.length * 2, true);
    for (var i = 0; i < samples.length; i++) {
      var x = Math.max(-1, Math.min(1, samples[i]));
      view.setInt16(44 + i * 2, x < 0 ? x * 0x8000 : x * 0x7fff, true);
    }
    return new Blob([buffer], { type: "audio/wav" });
  }

  function toWav(blob) {
    return blob.arrayBuffer().then(function (data) {
      var context = new (window.AudioContext || window.webkitAudioContext)();
      return context.decodeAudioData(data);
    }).then(function (decoded) {
      var rate = 16000, offline = new OfflineAudioContext(1, Math.ceil(decoded.duration * rate), rate);
      var source = offline.createBufferSource();
      source.buffer = decoded; source.connect(offline.destination); source.start();
      return offline.startRendering();
    }).then(function (rendered) { return wav(rendered.getChannelData(0), 16000); });
  }

  function send(file) {
    var form = new FormData();
    form.append("audio", file, "message.wav");
    status.textContent = "…";
    return fetch("/assistant/voice", { method: "POST", body: form, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (body) {
        status.textContent = body.error || "";
        if (body.audio) {
          player.src = "data:audio/wav;base64," + body.audio; player.hidden = false;
          player.play().catch(function () { /* autoplay refused: the controls stay visible */ });
        }
        if (window.htmx) { window.htmx.trigger("#transcript", "every 1s"); }
      });
  }

  button.addEventListener("click", function () {
    if (recorder && recorder.state === "recording") { recorder.stop(); return; }
    if (!navigator.mediaDevices || !window.MediaRecorder) {
      status.textContent = "This browser cannot record audio."; return;
    }
    navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
      chunks = []; recorder = new MediaRecorder(stream);
      recorder.ondataavailable = function (e) { chunks.push(e.data); };
      recorder.onstop = function () {
        stream.getTracks().forEach(function (t) { t.stop(); });
        button.textContent = button.dataset.start;
        toWav(new Blob(chunks)).then(send).catch(function (e) { status.textContent = String(e); });
      };
      recorder.start(); button.textContent = button.dataset.stop; status.textContent = "";
    }).catch(function (e) { status.textContent = String(e); });
  });
  window.finloomVoice = { send: send };  // lets a test send a prepared WAV without a microphone
})();
