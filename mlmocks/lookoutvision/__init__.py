"""Amazon Lookout for Vision: projects, datasets, models (training, hosting, anomaly
detection) and model packaging jobs.

The service reached end of support and current botocore no longer ships its client;
mlmocks ships the service model and lends it to botocore, so
``boto3.client("lookoutvision")`` works again once mlmocks' services are registered.
"""

from mlmocks.core.registry import ServiceSpec
from mlmocks.core.spec import lend_models_to_botocore

lend_models_to_botocore("lookoutvision")

SPEC = ServiceSpec(
    service="lookoutvision",
    url_bases=(r"https?://lookoutvision\.(.+)\.amazonaws\.com",),
    job_kinds=(
        "lookoutvision::dataset",
        "lookoutvision::model",
        "lookoutvision::model-hosting",
        "lookoutvision::model-packaging-job",
    ),
)
