"""Training datasets of the lookalike (audience) side: an account's metadata that points
to the Glue table of user-item interactions an audience model is trained on.

A training dataset is ACTIVE from the start (its only status). Its Glue table must be
in the Glue catalog (moto's, in the catalog account and the caller's region), and the
schema it declares must name that table's columns, with one user, one item and one
timestamp column, as the Clean Rooms ML user guide requires of training data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mlmocks.core.jobs import now
from mlmocks.core.listing import Page, Store
from mlmocks.core.moto_compat import glue_table, mock_random

from .collaborations import CollaborationsBackend
from .common import TAG_RULES, found, page, present
from .exceptions import AccessDeniedException, ConflictException, ValidationException

if TYPE_CHECKING:
    from .audience_models import AudienceModel

#: Column types a training dataset's schema must each give exactly one column.
REQUIRED_COLUMN_TYPES = ("USER_ID", "ITEM_ID", "TIMESTAMP")
_ROLE_ACCOUNT = 4  # arn:partition:iam::ACCOUNT:role/...


class TrainingDataset:
    def __init__(
        self,
        arn: str,
        name: str,
        role_arn: str,
        training_data: list[dict[str, Any]],
        description: str | None,
        tags: dict[str, str],
    ) -> None:
        self.arn = arn
        self.name = name
        self.role_arn = role_arn
        self.training_data = training_data
        self.description = description
        self.tags = tags
        #: The audience models trained on it, until they are deleted (audience_models.py).
        self.audience_models: list[AudienceModel] = []
        self.creation_time = self.update_time = now()

    def summary(self) -> dict[str, Any]:
        return present(
            createTime=self.creation_time,
            updateTime=self.update_time,
            trainingDatasetArn=self.arn,
            name=self.name,
            status="ACTIVE",
            description=self.description,
        )

    def detail(self) -> dict[str, Any]:
        return present(
            **self.summary(), trainingData=self.training_data, roleArn=self.role_arn, tags=self.tags
        )


def role_account(role_arn: str) -> str:
    """The account of an IAM role ARN (the model's pattern puts it fifth)."""
    return role_arn.split(":")[_ROLE_ACCOUNT]


def resource_id() -> str:
    """The id that ends a lookalike resource's ARN (``training-dataset/<id>``)."""
    return str(mock_random.uuid4())


def _check_schema(schema: list[dict[str, Any]], path: str) -> None:
    names = [column["columnName"] for column in schema]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValidationException(f"Column names must be unique in '{path}': {', '.join(repeated)} repeated")
    types = [column_type for column in schema for column_type in column["columnTypes"]]
    for required in REQUIRED_COLUMN_TYPES:
        count = types.count(required)
        if count != 1:
            raise ValidationException(
                f"The schema at '{path}' must have exactly one {required} column, not {count}"
            )


def _table_columns(table: dict[str, Any]) -> set[str]:
    columns = (table.get("StorageDescriptor") or {}).get("Columns") or []
    keys = table.get("PartitionKeys") or []
    return {column["Name"] for column in [*columns, *keys] if isinstance(column, dict) and "Name" in column}


class TrainingDatasetsBackend(CollaborationsBackend):
    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.training_datasets: Store[TrainingDataset] = Store()  # by ARN

    def _check_glue_source(self, dataset: dict[str, Any], path: str) -> None:
        source = dataset["inputConfig"]["dataSource"]["glueDataSource"]
        catalog = source.get("catalogId") or self.account_id
        try:
            table = glue_table(catalog, self.region_name, source["databaseName"], source["tableName"])
        except LookupError as missing:
            raise ValidationException(f"{missing} (at '{path}.inputConfig.dataSource.glueDataSource')") from None
        columns = _table_columns(table)
        if not columns:
            return  # a table without a declared schema: nothing to align with
        schema = dataset["inputConfig"]["schema"]
        unknown = [column["columnName"] for column in schema if column["columnName"] not in columns]
        if unknown:
            raise ValidationException(
                f"The schema at '{path}.inputConfig.schema' names columns that Glue table "
                f"{source['databaseName']}.{source['tableName']} lacks: {', '.join(unknown)}"
            )

    def create_training_dataset(
        self,
        name: str,
        role_arn: str,
        training_data: list[dict[str, Any]],
        tags: dict[str, str] | None = None,
        description: str | None = None,
    ) -> TrainingDataset:
        if role_account(role_arn) != self.account_id:
            raise AccessDeniedException(
                f"Passing a role across AWS accounts is not allowed: {role_arn} is not a role of account "
                f"{self.account_id}"
            )
        for index, source in enumerate(training_data, start=1):
            path = f"trainingData.{index}"
            _check_schema(source["inputConfig"]["schema"], f"{path}.inputConfig.schema")
            self._check_glue_source(source, path)
        new_tags = TAG_RULES.checked(tags)
        if any(other.name == name for other in self.training_datasets):
            raise ConflictException(f"A training dataset named {name} already exists")
        arn = self.arn(f"training-dataset/{resource_id()}")
        dataset = TrainingDataset(arn, name, role_arn, training_data, description, new_tags)
        self.training_datasets.add(arn, dataset)
        return dataset

    def get_training_dataset(self, training_dataset_arn: str) -> TrainingDataset:
        return found(self.training_datasets.get(training_dataset_arn), f"Training dataset {training_dataset_arn} not found")

    def list_training_datasets(
        self, max_results: int | None = None, next_token: str | None = None
    ) -> Page[TrainingDataset]:
        return page(self.training_datasets, None, max_results, next_token)

    def delete_training_dataset(self, training_dataset_arn: str) -> None:
        dataset = self.get_training_dataset(training_dataset_arn)
        # A look at each model's status moves it on (a deleted one leaves the list).
        in_use = [model for model in list(dataset.audience_models) if model.status != "DELETED"]
        if in_use:
            names = ", ".join(sorted(model.name for model in in_use))
            raise ConflictException(
                f"Training dataset {dataset.name} cannot be deleted: audience models depend on it ({names})"
            )
        self.training_datasets.remove(dataset.arn)
