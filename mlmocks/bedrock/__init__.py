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
        # customization, custom models, copies, throughput, deployments (bedrock-models)
        "bedrock::model-customization-job",
        "bedrock::custom-model",
        "bedrock::model-copy-job",
        "bedrock::provisioned-model-throughput",
        "bedrock::custom-model-deployment",
        "bedrock::custom-model-deployment-update",
        # batch inference, evaluation, prompt optimization (bedrock-jobs)
        "bedrock::model-invocation-job",
        "bedrock::evaluation-job",
        "bedrock::advanced-prompt-optimization-job",
    ),
    moto_service="bedrock",
)
