"""Customer-service assistant: intents + out-of-scope detection, grounded answers from a bank
knowledge base, multi-turn tasks and human handoff; voice messages (offline English speech in,
English/Mandarin speech out), documents in and spending charts out. Importing this package does not
load torch.

Examples
--------
>>> from finloom.apps.customer_service import build_demo_assistant
>>> bot = build_demo_assistant()
>>> s = bot.start_session(customer_id="demo")
>>> reply = bot.handle_message(s.id, "How long until my new card arrives?")
>>> reply.kind, reply.citations[0]
('answer', 'card-delivery-en')
"""

from finloom.apps.customer_service._answer import (
    AnswerGuard,
    GroundedAnswer,
    GroundingGuard,
    GuardVerdict,
    TextBackend,
    compose_answer,
    mask_pii,
)
from finloom.apps.customer_service._assistant import (
    AssistantConfig,
    CustomerServiceAssistant,
    Reply,
)
from finloom.apps.customer_service._banking import (
    Account,
    Card,
    CoreBanking,
    Dispute,
    SimulatedCoreBanking,
    Transaction,
)
from finloom.apps.customer_service._doc_answers import DocumentFacts
from finloom.apps.customer_service._entities import Entity, extract_entities
from finloom.apps.customer_service._handoff import HandoffPolicy, summarize_transcript
from finloom.apps.customer_service._intents import (
    TASK_INTENTS,
    EmbeddingIntentClassifier,
    HashingEncoder,
    IntentClassifier,
    IntentPrediction,
    concat_encoders,
    load_seed_intents,
)
from finloom.apps.customer_service._kb import Article, load_builtin_kb, load_kb, parse_articles
from finloom.apps.customer_service._lang import LanguageGuess, detect_language
from finloom.apps.customer_service._multimodal import (
    VoiceReply,
    document_turn,
    read_chat_document,
    voice_turn,
)
from finloom.apps.customer_service._oos import OutOfScopeDetector
from finloom.apps.customer_service._retrieval import (
    BM25Retriever,
    Hit,
    KnowledgeBase,
    NlpRetrieverAdapter,
    Retriever,
)
from finloom.apps.customer_service._sentiment import sentiment_score
from finloom.apps.customer_service._speech import (
    SpeechRecognizer,
    Transcript,
    synthesize_speech,
    word_error_rate,
)
from finloom.apps.customer_service._store import (
    ConversationStore,
    InMemoryConversationStore,
    Session,
    Turn,
)
from finloom.apps.customer_service._stories import (
    Story,
    StoryResult,
    load_stories,
    replay_story,
    score_stories,
)
from finloom.apps.customer_service.service import (
    build_demo_assistant,
    build_speech_recognizer,
    evaluate_faq_retrieval,
    fit_intent_classifier,
    load_faq_questions,
)

__all__ = [
    "TASK_INTENTS",
    "Account",
    "AnswerGuard",
    "Article",
    "AssistantConfig",
    "BM25Retriever",
    "Card",
    "ConversationStore",
    "CoreBanking",
    "CustomerServiceAssistant",
    "Dispute",
    "DocumentFacts",
    "EmbeddingIntentClassifier",
    "Entity",
    "GroundedAnswer",
    "GroundingGuard",
    "GuardVerdict",
    "HandoffPolicy",
    "HashingEncoder",
    "Hit",
    "InMemoryConversationStore",
    "IntentClassifier",
    "IntentPrediction",
    "KnowledgeBase",
    "LanguageGuess",
    "NlpRetrieverAdapter",
    "OutOfScopeDetector",
    "Reply",
    "Retriever",
    "Session",
    "Story",
    "StoryResult",
    "SimulatedCoreBanking",
    "SpeechRecognizer",
    "TextBackend",
    "Transaction",
    "Transcript",
    "Turn",
    "VoiceReply",
    "build_demo_assistant",
    "build_speech_recognizer",
    "concat_encoders",
    "compose_answer",
    "detect_language",
    "document_turn",
    "evaluate_faq_retrieval",
    "extract_entities",
    "fit_intent_classifier",
    "load_builtin_kb",
    "load_faq_questions",
    "load_kb",
    "load_seed_intents",
    "load_stories",
    "mask_pii",
    "parse_articles",
    "read_chat_document",
    "replay_story",
    "score_stories",
    "sentiment_score",
    "summarize_transcript",
    "synthesize_speech",
    "voice_turn",
    "word_error_rate",
]
