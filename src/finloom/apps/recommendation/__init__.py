"""Next-best-offer (产品推荐): a holdings generator, four recommenders behind one interface, eligibility
and suitability filters applied to every output, and explanations in English and Chinese."""

from finloom.apps.recommendation._base import Recommender
from finloom.apps.recommendation._book import RECOMMENDERS, OfferBook, make_recommender
from finloom.apps.recommendation._evaluate import hold_out, ranking_metrics
from finloom.apps.recommendation._explain import Offer, explain_offers
from finloom.apps.recommendation._filters import (
    eligibility_matrix,
    ineligibility_reasons,
    risk_number,
)
from finloom.apps.recommendation._generate import (
    GENERATORS,
    LIFE_STAGES,
    HoldingsData,
    default_catalogue,
    generate_holdings,
)
from finloom.apps.recommendation._models import (
    ALSRecommender,
    ItemKNNRecommender,
    PopularityRecommender,
    cosine_similarity,
)
from finloom.apps.recommendation._ranker import RankerRecommender
from finloom.apps.recommendation.schemas import (
    CustomerProfile,
    OfferList,
    RecommendFitParams,
    RecommendRequest,
)

__all__ = [
    "GENERATORS",
    "LIFE_STAGES",
    "RECOMMENDERS",
    "ALSRecommender",
    "CustomerProfile",
    "HoldingsData",
    "ItemKNNRecommender",
    "Offer",
    "OfferBook",
    "OfferList",
    "PopularityRecommender",
    "RankerRecommender",
    "RecommendFitParams",
    "RecommendRequest",
    "Recommender",
    "cosine_similarity",
    "default_catalogue",
    "eligibility_matrix",
    "explain_offers",
    "generate_holdings",
    "hold_out",
    "ineligibility_reasons",
    "make_recommender",
    "ranking_metrics",
    "risk_number",
]
