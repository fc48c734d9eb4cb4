"""Amazon Bedrock custom model import: import jobs and the imported models they create.

The rest of Bedrock (customization jobs, custom models, logging configuration, ...) is
moto's, on the same host: mlmocks answers only the operations it owns.
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="bedrock",
    url_bases=(r"https?://bedrock\.(.+)\.amazonaws\.com",),
    job_kinds=(
        "bedrock::model-import-job",
        "bedrock::model-invocation-job",
        "bedrock::evaluation-job",
        "bedrock::advanced-prompt-optimization-job",
    ),
    moto_service="bedrock",
)
