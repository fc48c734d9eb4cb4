"""AWS Clean Rooms ML, custom models: configured model algorithms and their associations
with a collaboration, trained models (with versions from incremental training), trained
model export jobs and inference jobs, and tags.

Collaborations and memberships belong to the separate Clean Rooms service: a test author
declares them through the job control (``declare_collaboration``).
"""

from mlmocks.core.registry import ServiceSpec

SPEC = ServiceSpec(
    service="cleanroomsml",
    url_bases=(r"https?://cleanrooms-ml\.(.+)\.amazonaws\.com",),
    job_kinds=(
        "cleanroomsml::trained-model",
        "cleanroomsml::trained-model-export-job",
        "cleanroomsml::trained-model-inference-job",
    ),
    control_methods=("declare_collaboration",),
    # botocore lists no regions for cleanrooms-ml: EC2's.
    regions_of="ec2",
)
