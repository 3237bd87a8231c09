"""Personalised marketing (个性化营销): a calibrated response model with gains, lift and profit curves,
the contact list at a budget, k-prototypes segments with guarded EN/ZH profiles, copy variants checked
against product facts and compliance rules, and an A/B test planner and analyser."""

from finloom.apps.marketing._copy import (
    CopyVariant,
    generate_copy,
    product_facts,
    sms_limit,
    write_variants,
)
from finloom.apps.marketing._experiments import (
    ABPlan,
    ABResult,
    analyse_test,
    minimum_detectable_effect,
    peeking_error_rate,
    plan_test,
)
from finloom.apps.marketing._lift import (
    contact_list,
    contacts_for_budget,
    gains_table,
    profit_curve,
    top_decile_lift,
)
from finloom.apps.marketing._profiles import SegmentProfile, profile_segments, segment_name
from finloom.apps.marketing._propensity import (
    LEAKY_COLUMNS,
    PropensityConfig,
    PropensityModel,
    binary_outcome,
    feature_frame,
)
from finloom.apps.marketing._segments import SegmentConfig, Segmenter
from finloom.apps.marketing.schemas import AnalyseTestIn, CampaignParams, PlanTestIn, ProductFacts
from finloom.apps.marketing.service import campaign_job, demo_products, run_campaign

__all__ = [
    "LEAKY_COLUMNS",
    "AnalyseTestIn",
    "CampaignParams",
    "CopyVariant",
    "PlanTestIn",
    "ProductFacts",
    "PropensityConfig",
    "PropensityModel",
    "SegmentConfig",
    "SegmentProfile",
    "Segmenter",
    "ABPlan",
    "ABResult",
    "analyse_test",
    "binary_outcome",
    "campaign_job",
    "contact_list",
    "contacts_for_budget",
    "demo_products",
    "feature_frame",
    "gains_table",
    "generate_copy",
    "minimum_detectable_effect",
    "peeking_error_rate",
    "plan_test",
    "product_facts",
    "profile_segments",
    "profit_curve",
    "run_campaign",
    "segment_name",
    "sms_limit",
    "top_decile_lift",
    "write_variants",
]
