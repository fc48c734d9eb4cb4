"""Bedrock custom models: the models a completed customization or copy job leaves behind,
and those CreateCustomModel makes from weights in S3 (GetCustomModel, ListCustomModels,
DeleteCustomModel, CreateCustomModel).

mlmocks takes these over from moto on the shared host. A model made by a job is
``Active`` from the start; one made by CreateCustomModel walks ``Creating -> Active |
Failed`` as a job of kind ``bedrock::custom-model``.

Also here: how a model identifier names a foundation model or a custom model, which
the customization, copy, provisioned throughput and deployment families share, and
``find_custom_model`` for any family that takes a custom model identifier.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from mlmocks.core.backend import ServiceBackend, random_id
from mlmocks.core.jobs import Job, Lifecycle
from mlmocks.core.listing import Page, Store, within
from mlmocks.core.tags import Tagged, tag_dict

from .exceptions import ConflictException, ResourceNotFoundException, ValidationException
from .listing import by_creation_time

CUSTOM_MODEL = Lifecycle(
    kind="bedrock::custom-model",
    happy_path=("Creating", "Active"),
    failed="Failed",
)

#: The foundation model a model made by CreateCustomModel reports as its base: such
#: weights are Amazon Nova models trained in SageMaker AI, whose manifest mlmocks does
#: not read.
IMPORTED_BASE_MODEL = "amazon.nova-micro-v1:0:128k"

#: A foundation model id (``provider.model[:version[:context]]``).
FOUNDATION_MODEL_ID = re.compile(r"^[a-z0-9-]{1,63}\.[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})(:[a-z0-9-]{1,63}){0,2}$")
FOUNDATION_MODEL_ARN = re.compile(r"^arn:aws(-[^:]+)?:bedrock:([a-z0-9-]{1,20})::foundation-model/(?P<id>.+)$")
CUSTOM_MODEL_ARN = re.compile(
    r"^arn:aws(-[^:]+)?:bedrock:(?P<region>[a-z0-9-]{1,20}):(?P<account>[0-9]{12}):custom-model/.+/[a-z0-9]{12}$"
)


def model_id_of(arn: str) -> str:
    """The foundation model id of a foundation model ARN."""
    return arn.rsplit("foundation-model/", 1)[1]


class CustomModel:
    def __init__(
        self,
        *,
        model_arn: str,
        model_name: str,
        owner_account_id: str,
        base_model_arn: str,
        customization_type: str,
        creation_time: datetime,
        tags: dict[str, str],
        job_name: str | None = None,
        job_arn: str | None = None,
        model_kms_key_arn: str | None = None,
        hyper_parameters: dict[str, str] | None = None,
        training_data_config: dict[str, Any] | None = None,
        validation_data_config: dict[str, Any] | None = None,
        output_data_config: dict[str, Any] | None = None,
        training_metrics: dict[str, float] | None = None,
        validation_metrics: list[dict[str, float]] | None = None,
        customization_config: dict[str, Any] | None = None,
        creation: CustomModelCreation | None = None,
        foundation_model_arn: str | None = None,
    ) -> None:
        self.model_arn = model_arn
        self.model_name = model_name
        self.owner_account_id = owner_account_id
        self.base_model_arn = base_model_arn
        #: The foundation model under it all: the base model itself, or, for a model
        #: customized from a custom model, that model's foundation model.
        self.foundation_model_arn = foundation_model_arn or base_model_arn
        self.customization_type = customization_type
        self.creation_time = creation_time
        self.tags = tags
        self.job_name = job_name
        self.job_arn = job_arn
        self.model_kms_key_arn = model_kms_key_arn
        self.hyper_parameters = hyper_parameters
        self.training_data_config = training_data_config
        self.validation_data_config = validation_data_config
        self.output_data_config = output_data_config
        self.training_metrics = training_metrics
        self.validation_metrics = validation_metrics
        self.customization_config = customization_config
        #: The creation job of a model made by CreateCustomModel (None: made by a job).
        self.creation = creation

    @property
    def model_status(self) -> str:
        return self.creation.status if self.creation is not None else "Active"

    def summary(self) -> dict[str, Any]:
        return {
            "modelArn": self.model_arn,
            "modelName": self.model_name,
            "creationTime": self.creation_time,
            "baseModelArn": self.base_model_arn,
            # The ModelName shape: provider.model, without version or context.
            "baseModelName": model_id_of(self.foundation_model_arn).split(":")[0],
            "customizationType": self.customization_type,
            "ownerAccountId": self.owner_account_id,
            "modelStatus": self.model_status,
        }

    def detail(self) -> dict[str, Any]:
        return {
            "modelArn": self.model_arn,
            "modelName": self.model_name,
            "jobName": self.job_name,
            "jobArn": self.job_arn,
            "baseModelArn": self.base_model_arn,
            "customizationType": self.customization_type,
            "modelKmsKeyArn": self.model_kms_key_arn,
            "hyperParameters": self.hyper_parameters,
            "trainingDataConfig": self.training_data_config,
            "validationDataConfig": self.validation_data_config,
            "outputDataConfig": self.output_data_config,
            "trainingMetrics": self.training_metrics,
            "validationMetrics": self.validation_metrics,
            "creationTime": self.creation_time,
            "customizationConfig": self.customization_config,
            "modelStatus": self.model_status,
            "failureMessage": self.creation.failure if self.creation is not None else None,
        }

    def copied(
        self, target: CustomModels, model_arn: str, model_name: str, at: datetime, tags: dict[str, str], kms_key_arn: str | None
    ) -> CustomModel:
        """The copy of this model a copy job leaves in the ``target`` backend's region."""
        return CustomModel(
            model_arn=model_arn,
            model_name=model_name,
            owner_account_id=self.owner_account_id,
            # The same foundation model, in the copy's region.
            base_model_arn=(
                target.foundation_arn(model_id_of(self.base_model_arn))
                if self.base_model_arn == self.foundation_model_arn
                else self.base_model_arn
            ),
            foundation_model_arn=target.foundation_arn(model_id_of(self.foundation_model_arn)),
            customization_type=self.customization_type,
            creation_time=at,
            tags=tags,
            job_name=self.job_name,
            job_arn=self.job_arn,
            model_kms_key_arn=kms_key_arn,
            hyper_parameters=self.hyper_parameters,
            training_data_config=self.training_data_config,
            validation_data_config=self.validation_data_config,
            output_data_config=self.output_data_config,
            training_metrics=self.training_metrics,
            validation_metrics=self.validation_metrics,
            customization_config=self.customization_config,
        )


class CustomModelCreation(Job):
    """The creation of a model from S3 weights (CreateCustomModel): the model's status."""

    LIFECYCLE = CUSTOM_MODEL

    def __init__(self, model_name: str, model_arn: str) -> None:
        self.model_name = model_name
        self.model_arn = model_arn
        super().__init__()

    def identifiers(self) -> tuple[str, ...]:
        return (self.model_name, self.model_arn)


class CustomModels(ServiceBackend):
    """The custom model family of a Bedrock backend."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.custom_models: Store[CustomModel] = Store()  # by ARN, also by name

    # -- model identifiers -----------------------------------------------------------------

    def foundation_arn(self, model_id: str) -> str:
        return f"arn:{self.partition}:bedrock:{self.region_name}::foundation-model/{model_id}"

    def find_custom_model(self, identifier: str) -> CustomModel | None:
        """The custom model of this account and region named by ``identifier`` (its name or
        ARN), or None."""
        return self.custom_models.find(identifier)

    def resolve_model(self, identifier: str, member: str) -> tuple[str, CustomModel | None]:
        """The ARN a model identifier (foundation model id or ARN, custom model name or
        ARN) names, and the custom model if it is one. A foundation model ARN must be of
        this region; a custom model must exist here and be Active."""
        arn_match = FOUNDATION_MODEL_ARN.match(identifier)
        if arn_match is not None:
            if arn_match.group(2) != self.region_name:
                raise ValidationException(
                    f"The foundation model {identifier} given in {member} is not in region {self.region_name}"
                )
            return identifier, None
        if FOUNDATION_MODEL_ID.match(identifier) and self.custom_models.find(identifier) is None:
            return self.foundation_arn(identifier), None
        model = self.custom_models.find(identifier)
        if model is None:
            raise ResourceNotFoundException(f"The model {identifier} given in {member} was not found")
        if model.model_status != "Active":
            raise ValidationException(
                f"The custom model {model.model_name} given in {member} is {model.model_status}, not Active"
            )
        return model.model_arn, model

    # -- custom models ---------------------------------------------------------------------

    def add_custom_model(self, model: CustomModel) -> CustomModel:
        """Hold a model a job (or CreateCustomModel) made."""
        self.custom_models.add(model.model_arn, model, aliases=(model.model_name,))
        return model

    def custom_model_arn(self, foundation_model_arn: str | None) -> str:
        """A new custom model ARN: ``custom-model/<foundation model id>/<id>``, or
        ``custom-model/imported/<id>`` for weights from S3."""
        base = model_id_of(foundation_model_arn) if foundation_model_arn else "imported"
        return self.arn(f"custom-model/{base}/{random_id()}")

    def custom_model_name_taken(self, name: str) -> bool:
        """Whether a model has the name, or a running job will give it (the families that
        make models extend this)."""
        return self.custom_models.find(name) is not None

    def create_custom_model(
        self,
        model_name: str,
        model_source_config: dict[str, Any] | None = None,
        custom_model_data_source: dict[str, Any] | None = None,
        model_kms_key_arn: str | None = None,
        role_arn: str | None = None,
        model_tags: list[dict[str, str]] | None = None,
    ) -> CustomModel:
        if (model_source_config is None) == (custom_model_data_source is None):
            raise ValidationException(
                "Exactly one of modelSourceConfig and customModelDataSource must be given"
            )
        if role_arn is None and model_source_config is not None:
            raise ValidationException("roleArn is required to read the model's weights from S3")
        if self.custom_model_name_taken(model_name):
            raise ConflictException(f"A custom model named {model_name} already exists")
        arn = self.custom_model_arn(None)
        creation = CustomModelCreation(model_name, arn)
        model = CustomModel(
            model_arn=arn,
            model_name=model_name,
            owner_account_id=self.account_id,
            base_model_arn=self.foundation_arn(IMPORTED_BASE_MODEL),
            customization_type="IMPORTED",
            creation_time=creation.creation_time,
            tags=tag_dict(model_tags),
            model_kms_key_arn=model_kms_key_arn,
            creation=creation,
        )
        self.add_custom_model(model)
        self.track_job(creation)
        return model

    def get_custom_model(self, model_identifier: str) -> CustomModel:
        model = self.custom_models.find(model_identifier)
        if model is None:
            raise ResourceNotFoundException(f"The custom model {model_identifier} was not found")
        return model

    def list_custom_models(
        self,
        creation_time_before: datetime | None = None,
        creation_time_after: datetime | None = None,
        name_contains: str | None = None,
        base_model_arn_equals: str | None = None,
        foundation_model_arn_equals: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
        sort_by: str | None = None,
        sort_order: str | None = None,
        is_owned: bool | None = None,
        model_status: str | None = None,
    ) -> Page[CustomModel]:
        def wanted(model: CustomModel) -> bool:
            return (
                within(model.creation_time, creation_time_after, creation_time_before)
                and (name_contains is None or name_contains in model.model_name)
                and (base_model_arn_equals is None or model.base_model_arn == base_model_arn_equals)
                and (foundation_model_arn_equals is None or model.foundation_model_arn == foundation_model_arn_equals)
                # Every model here belongs to this account (none is shared with it).
                and (is_owned is None or is_owned == (model.owner_account_id == self.account_id))
                and (model_status is None or model.model_status == model_status)
            )

        return by_creation_time(self.custom_models, wanted, max_results, next_token, sort_order)

    def delete_custom_model(self, model_identifier: str) -> None:
        model = self.get_custom_model(model_identifier)
        if model.model_status == "Creating":
            raise ConflictException(f"The custom model {model.model_name} is still being created")
        user = self.custom_model_user(model.model_arn)
        if user is not None:
            raise ConflictException(f"The custom model {model.model_name} is in use by {user}")
        self.custom_models.remove(model.model_arn)
        if model.creation is not None:
            model.creation.retired = True

    def custom_model_user(self, model_arn: str) -> str | None:
        """What serves the model, if anything (the serving families extend this)."""
        return None

    def model_resource(self, arn: str) -> Tagged | None:
        """The resource of this family an ARN names, for tags (each family extends this)."""
        return self.custom_models.get(arn)

    # -- helpers ---------------------------------------------------------------------------
