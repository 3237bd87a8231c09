"""Chat spelling for the tool router: text-speak ("wat", "shud", "u", "pls") and common misspellings
("assesment", "questionaire", "portfolo") written out in full, so the router's phrase patterns see
the words they are written for."""

from __future__ import annotations

import re

__all__ = ["tidy_chat_spelling"]

# a chat form (whole word, any case) -> the word it stands for
_CHAT_WORDS: dict[str, str] = {
    "u": "you", "ur": "your", "r": "are", "wat": "what", "wot": "what", "wht": "what",
    "whats": "what's", "hows": "how's", "wheres": "where's", "shud": "should", "shld": "should",
    "cud": "could", "wud": "would", "wanna": "want to", "gonna": "going to", "gimme": "give me",
    "plz": "please", "pls": "please", "thx": "thanks", "abt": "about", "cuz": "because", "coz": "because",
    "im": "i'm", "ive": "i've", "id like": "i'd like", "dont": "don't", "cant": "can't", "isnt": "isn't",
    "doesnt": "doesn't", "didnt": "didn't", "hasnt": "hasn't", "havent": "haven't", "b4": "before",
    "2day": "today", "tmrw": "tomorrow", "invst": "invest", "mth": "month",
}
# misspellings seen in chats -> the spelling the router's patterns use
_MISSPELT: dict[str, str] = {
    "assesment": "assessment", "assessement": "assessment", "asessment": "assessment",
    "questionaire": "questionnaire", "questionnair": "questionnaire", "questionnare": "questionnaire",
    "portfolo": "portfolio", "portifolio": "portfolio", "porfolio": "portfolio", "protfolio": "portfolio",
    "recomend": "recommend", "reccomend": "recommend", "reccommend": "recommend", "recommand": "recommend",
    "eligable": "eligible", "elligible": "eligible", "aplication": "application", "applcation": "application",
    "mortage": "mortgage", "morgage": "mortgage", "invesment": "investment", "investmant": "investment",
    "profle": "profile", "proflie": "profile", "alers": "alerts", "stauts": "status", "staus": "status",
}
_TABLE = {**_CHAT_WORDS, **_MISSPELT}
_WORD = re.compile(r"(?<![\w'&/])(" + "|".join(sorted(map(re.escape, _TABLE), key=len, reverse=True)) +
                   r")(?![\w'&/]|\.\w)", re.IGNORECASE)


def tidy_chat_spelling(text: str) -> str:
    """``text`` with text-speak and common misspellings written out; anything else is unchanged.

    Only whole Latin words are replaced, so Chinese text and names ("U盘", "R&D") stay as they are.

    Examples
    --------
    >>> tidy_chat_spelling("wat funds shud i buy? pls")
    'what funds should i buy? please'
    >>> tidy_chat_spelling("redo my risk assesment")
    'redo my risk assessment'
    >>> tidy_chat_spelling("why do u keep asking"), tidy_chat_spelling("U盘丢了"), tidy_chat_spelling("u.s. stocks")
    ('why do you keep asking', 'U盘丢了', 'u.s. stocks')
    """
    return _WORD.sub(lambda m: _TABLE[m.group(1).lower()], text)
