"""SageMaker Neo compilation jobs (CreateCompilationJob, DescribeCompilationJob,
ListCompilationJobs, StopCompilationJob, DeleteCompilationJob).

moto's SageMaker backend is read, never written, to resolve a ModelPackageVersionArn.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store
from mlmocks.core.spec import service_model
from mlmocks.core.tags import tag_dict

from .exceptions import ResourceInUse, ResourceNotFound, ValidationException
from .job_common import check_stopping_condition, list_jobs, require_status

COMPILATION_JOB = Lifecycle(
    kind="sagemaker::compilation-job",
    happy_path=("STARTING", "INPROGRESS", "COMPLETED"),
    failed="FAILED",
    stopping=("STOPPING", "STOPPED"),
)

#: Statuses from which StopCompilationJob may stop a job.
STOPPABLE = ("STARTING", "INPROGRESS")
#: Statuses in which DeleteCompilationJob may delete a job (the API reference's list).
DELETABLE = ("COMPLETED", "FAILED", "STOPPED")

#: The longest FailureReason the API shows (the FailureReason shape's max).
MAX_FAILURE_REASON = 1024
#: Page size of ListCompilationJobs without MaxResults (SageMaker's List* default).
DEFAULT_MAX_RESULTS = 10
#: StoppingCondition.MaxRuntimeInSeconds may be at most 28 days (API reference).
#: "This API field is only supported for the MXNet, PyTorch, TensorFlow and TensorFlow
#: Lite frameworks" (InputConfig.FrameworkVersion).
FRAMEWORKS_WITH_VERSION = frozenset({"MXNET", "PYTORCH", "TENSORFLOW", "TFLITE"})
#: Frameworks whose input shapes Neo derives itself when DataInputConfig is left out.
FRAMEWORKS_WITH_DERIVED_INPUT = {
    "PYTORCH": '{"input0": [1, 3, 224, 224]}',
    "TFLITE": '{"input": [1, 224, 224, 3]}',
}
#: The Framework enum of the service model.
FRAMEWORKS: tuple[str, ...] = tuple(service_model("sagemaker").shape_for("Framework").enum)

# -- the inference image Neo picks for a cloud instance target -------------------------

#: Accounts of the Neo inference images per region (as the SageMaker Python SDK lists them).
_NEO_IMAGE_ACCOUNTS = {
    "af-south-1": "774647643957",
    "ap-east-1": "110948597952",
    "ap-northeast-1": "941853720454",
    "ap-northeast-2": "151534178276",
    "ap-northeast-3": "925152966179",
    "ap-south-1": "763008648453",
    "ap-southeast-1": "324986816169",
    "ap-southeast-2": "355873309152",
    "ca-central-1": "464438896020",
    "cn-north-1": "472730292857",
    "cn-northwest-1": "474822919863",
    "eu-central-1": "746233611703",
    "eu-north-1": "601324751636",
    "eu-south-1": "966458181534",
    "eu-west-1": "802834080501",
    "eu-west-2": "205493899709",
    "eu-west-3": "254080097072",
    "me-south-1": "836785723513",
    "sa-east-1": "756306329178",
    "us-east-1": "785573368785",
    "us-east-2": "007439368137",
    "us-gov-west-1": "263933020539",
    "us-west-1": "710691900526",
    "us-west-2": "301217895009",
}
_IMAGE_FRAMEWORKS = {
    "PYTORCH": ("pytorch", "1.8"),
    "TENSORFLOW": ("tensorflow", "2.4"),
    "MXNET": ("mxnet", "1.8"),
    "KERAS": ("mxnet", "1.8"),
    "ONNX": ("mxnet", "1.8"),
}
_GPU_TARGETS = frozenset({"ml_p2", "ml_p3", "ml_g4dn"})
_INFERENTIA_TARGETS = frozenset({"ml_inf1", "ml_inf2", "ml_trn1"})


def inference_image(region: str, framework: str, version: str | None, target: str | None) -> str | None:
    """The image Neo serves a model compiled for a cloud instance (``ml_*``) with; none
    for edge devices and platforms ("Specify an image only if the target device is a
    cloud instance")."""
    if target is None or not target.startswith("ml_"):
        return None
    suffix = ".amazonaws.com.cn" if region.startswith("cn-") else ".amazonaws.com"
    registry = f"{_NEO_IMAGE_ACCOUNTS.get(region, _NEO_IMAGE_ACCOUNTS['us-east-1'])}.dkr.ecr.{region}{suffix}"
    if framework == "XGBOOST":
        return f"{registry}/xgboost-neo:latest"
    if framework not in _IMAGE_FRAMEWORKS:
        return None
    name, default_version = _IMAGE_FRAMEWORKS[framework]
    short_version = ".".join((version or default_version).split(".")[:2])
    if target in _INFERENTIA_TARGETS:
        return f"{registry}/sagemaker-neo-{name}:{short_version}-inf-py3"
    processor = "gpu" if target in _GPU_TARGETS else "cpu"
    return f"{registry}/sagemaker-inference-{name}:{short_version}-{processor}-py3"


def compiled_artifact(input_uri: str, output_location: str, target: str) -> str:
    """Where Neo writes the compiled model: ``<output>/<input name>-<target>.tar.gz``
    (``model.tar.gz`` compiled for ``ml_c5`` becomes ``model-ml_c5.tar.gz``)."""
    key = input_uri.split("://", 1)[-1].partition("/")[2]  # the object key, after the bucket
    base = key.rstrip("/").rsplit("/", 1)[-1]
    for extension in (".tar.gz", ".tgz"):
        if base.endswith(extension):
            base = base[: -len(extension)]
    base = base or "model"
    return f"{output_location.rstrip('/')}/{base}-{target}.tar.gz"



class CompilationJob(Job):
    LIFECYCLE = COMPILATION_JOB

    def __init__(
        self,
        backend: CompilationJobs,
        *,
        name: str,
        role_arn: str,
        input_config: dict[str, Any],
        output_config: dict[str, Any],
        stopping_condition: dict[str, Any],
        model_package_version_arn: str | None,
        vpc_config: dict[str, Any] | None,
        tags: dict[str, str],
    ) -> None:
        self.name = name
        self.arn = backend.arn(f"compilation-job/{name}")
        self.role_arn = role_arn
        self.input_config = input_config
        self.output_config = output_config
        self.stopping_condition = stopping_condition
        self.model_package_version_arn = model_package_version_arn
        self.vpc_config = vpc_config
        self.tags = tags
        self.target_device: str | None = output_config.get("TargetDevice")
        self.target_platform: dict[str, str] | None = output_config.get("TargetPlatform")
        self.inference_image = inference_image(
            backend.region_name,
            input_config["Framework"],
            input_config.get("FrameworkVersion"),
            self.target_device,
        )
        self.model_artifacts = {
            "S3ModelArtifacts": compiled_artifact(
                input_config["S3Uri"], output_config["S3OutputLocation"], self.target_name
            )
        }
        self.compilation_start_time: datetime | None = None
        self.model_digests: dict[str, str] | None = None
        self.derived_information: dict[str, str] | None = None
        super().__init__()

    @property
    def target_name(self) -> str:
        if self.target_device is not None:
            return self.target_device
        platform = self.target_platform or {}
        parts = [platform.get("Os"), platform.get("Arch"), platform.get("Accelerator")]
        return "_".join(part for part in parts if part).lower()

    def identifiers(self) -> tuple[str, ...]:
        return (self.name, self.arn)

    def on_enter(self, status: str, at: datetime) -> None:
        if status == "INPROGRESS":
            self.compilation_start_time = at
        elif status == "COMPLETED":
            # "a BLAKE2 hash value that identifies the compiled model artifacts"
            digest = hashlib.blake2b(
                f"{self.arn}|{self.model_artifacts['S3ModelArtifacts']}".encode(), digest_size=32
            ).hexdigest()
            self.model_digests = {"ArtifactDigest": digest}
            derived = FRAMEWORKS_WITH_DERIVED_INPUT.get(self.input_config["Framework"])
            if derived is not None and "DataInputConfig" not in self.input_config:
                self.derived_information = {"DerivedDataInputConfig": derived}

    # -- what the API shows -------------------------------------------------------------

    def detail(self) -> dict[str, Any]:
        status = self.status
        return {
            "CompilationJobName": self.name,
            "CompilationJobArn": self.arn,
            "CompilationJobStatus": status,
            "CompilationStartTime": self.compilation_start_time,
            "CompilationEndTime": self.end_time,
            "StoppingCondition": self.stopping_condition,
            "InferenceImage": self.inference_image,
            "ModelPackageVersionArn": self.model_package_version_arn,
            "CreationTime": self.creation_time,
            "LastModifiedTime": self.last_modified_time,
            # Required members of the output shape: always there, empty until a failure.
            "FailureReason": (self.failure or "")[:MAX_FAILURE_REASON],
            "ModelArtifacts": self.model_artifacts,
            "ModelDigests": self.model_digests,
            "RoleArn": self.role_arn,
            "InputConfig": self.input_config,
            "OutputConfig": self.output_config,
            "VpcConfig": self.vpc_config,
            "DerivedInformation": self.derived_information,
        }

    def summary(self) -> dict[str, Any]:
        status = self.status
        summary = {
            "CompilationJobName": self.name,
            "CompilationJobArn": self.arn,
            "CreationTime": self.creation_time,
            "CompilationStartTime": self.compilation_start_time,
            "CompilationEndTime": self.end_time,
            "LastModifiedTime": self.last_modified_time,
            "CompilationJobStatus": status,
        }
        if self.target_device is not None:
            summary["CompilationTargetDevice"] = self.target_device
        else:
            platform = self.target_platform or {}
            summary["CompilationTargetPlatformOs"] = platform.get("Os")
            summary["CompilationTargetPlatformArch"] = platform.get("Arch")
            summary["CompilationTargetPlatformAccelerator"] = platform.get("Accelerator")
        return summary


class CompilationJobs(ServiceBackend):
    """The compilation job family of a SageMaker backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.compilation_jobs: Store[CompilationJob] = Store()  # by name

    # -- compilation jobs ---------------------------------------------------------------

    def create_compilation_job(
        self,
        compilation_job_name: str,
        role_arn: str,
        output_config: dict[str, Any],
        stopping_condition: dict[str, Any],
        input_config: dict[str, Any] | None = None,
        model_package_version_arn: str | None = None,
        vpc_config: dict[str, Any] | None = None,
        tags: list[dict[str, str]] | None = None,
    ) -> CompilationJob:
        # Every check comes before anything is stored: a rejected request leaves nothing.
        if input_config is not None and model_package_version_arn is not None:
            raise ValidationException(
                "InputConfig and ModelPackageVersionArn cannot be specified at the same time."
            )
        if input_config is None:
            if model_package_version_arn is None:
                raise ValidationException(
                    "Either InputConfig or ModelPackageVersionArn must be specified."
                )
            input_config = self._input_config_of_model_package(model_package_version_arn)
        _check_input_config(input_config)
        _check_output_config(output_config)
        check_stopping_condition(stopping_condition)
        if compilation_job_name in self.compilation_jobs:
            raise ResourceInUse(
                f"Resource Already Exists: Compilation job with name {compilation_job_name} "
                "already exists. Choose a different name."
            )
        job = CompilationJob(
            self,
            name=compilation_job_name,
            role_arn=role_arn,
            input_config=input_config,
            output_config=output_config,
            stopping_condition=stopping_condition,
            model_package_version_arn=model_package_version_arn,
            vpc_config=vpc_config,
            tags=tag_dict(tags, "Key", "Value"),
        )
        self.compilation_jobs.add(job.name, job, aliases=(job.arn,))
        self.track_job(job)
        return job

    def get_compilation_job(self, name: str) -> CompilationJob:
        job = self.compilation_jobs.get(name)
        if job is None:
            raise ResourceNotFound(f"Could not find compilation job '{name}'.")
        return job

    def describe_compilation_job(self, name: str) -> CompilationJob:
        job: CompilationJob = self.get_compilation_job(name).observe()
        return job

    def stop_compilation_job(self, name: str) -> None:
        job = self.get_compilation_job(name)
        require_status("compilation", job.name, job.status, STOPPABLE, "stopped")
        job.begin_stopping()

    def delete_compilation_job(self, name: str) -> None:
        job = self.get_compilation_job(name)
        require_status("compilation", job.name, job.status, DELETABLE, "deleted")
        self.compilation_jobs.remove(name)
        job.retired = True

    def list_compilation_jobs(
        self,
        next_token: str | None = None,
        max_results: int | None = None,
        creation_time_after: datetime | None = None,
        creation_time_before: datetime | None = None,
        last_modified_time_after: datetime | None = None,
        last_modified_time_before: datetime | None = None,
        name_contains: str | None = None,
        status_equals: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
    ) -> Page[CompilationJob]:
        return list_jobs(
            self.compilation_jobs,
            next_token=next_token,
            max_results=max_results,
            creation_time_after=creation_time_after,
            creation_time_before=creation_time_before,
            last_modified_time_after=last_modified_time_after,
            last_modified_time_before=last_modified_time_before,
            name_contains=name_contains,
            status_equals=status_equals,
            sort_by=sort_by,
            sort_order=sort_order,
        )

    def _input_config_of_model_package(self, arn: str) -> dict[str, Any]:
        """The InputConfig of a versioned model package in moto's SageMaker: its first
        container's model data, framework and data input configuration."""
        from moto.sagemaker.models import sagemaker_backends

        packages = sagemaker_backends[self.account_id][self.region_name].model_packages
        package = packages.get(arn)
        if package is None:
            raise ValidationException(f"Model package {arn} does not exist.")
        containers = (getattr(package, "inference_specification", None) or {}).get("Containers") or []
        container = containers[0] if containers and isinstance(containers[0], dict) else {}
        model_data = container.get("ModelDataUrl")
        framework = str(container.get("Framework") or "").upper()
        if not model_data or framework not in FRAMEWORKS:
            raise ValidationException(
                f"Model package {arn} cannot be compiled: its first container needs a "
                f"ModelDataUrl and a Framework (one of {', '.join(FRAMEWORKS)})."
            )
        config: dict[str, Any] = {"S3Uri": model_data, "Framework": framework}
        if container.get("FrameworkVersion"):
            config["FrameworkVersion"] = container["FrameworkVersion"]
        data_input = (container.get("ModelInput") or {}).get("DataInputConfig")
        if data_input:
            config["DataInputConfig"] = data_input
        return config


def _check_input_config(config: dict[str, Any]) -> None:
    if "FrameworkVersion" in config and config["Framework"] not in FRAMEWORKS_WITH_VERSION:
        raise ValidationException(
            f"InputConfig.FrameworkVersion is supported only for the MXNET, PYTORCH, "
            f"TENSORFLOW and TFLITE frameworks, not for {config['Framework']}."
        )


def _check_output_config(config: dict[str, Any]) -> None:
    device, platform = config.get("TargetDevice"), config.get("TargetPlatform")
    if device is not None and platform is not None:
        raise ValidationException(
            "OutputConfig.TargetDevice and OutputConfig.TargetPlatform are mutually "
            "exclusive: specify one of them."
        )
    if device is None and platform is None:
        raise ValidationException(
            "OutputConfig must specify either OutputConfig.TargetDevice or "
            "OutputConfig.TargetPlatform."
        )
    if platform is not None and platform.get("Accelerator") == "NVIDIA":
        if "CompilerOptions" not in config:
            raise ValidationException(
                "OutputConfig.CompilerOptions is required for the NVIDIA accelerator "
                "(gpu-code, trt-ver and cuda-ver)."
            )


