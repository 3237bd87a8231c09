"""Datasets: registering, editing and deleting are audited in the transaction that publishes them."""

from __future__ import annotations

import pytest

from finloom.errors import ConfigError, ServiceError
from finloom.services.datasets import (
    MetadataEdit,
    UploadOptions,
    delete_dataset,
    edit_metadata,
    register_upload,
)
from tests.services.conftest import events

CSV = b"id,amount,segment\n1,1.5,a\n2,2.5,b\n3,3.5,a\n"


def test_upload_edit_delete_record_one_event_each(wb):
    info = register_upload(wb, "ana", "d", CSV, "d.csv", UploadOptions(primary_key="id"))
    assert (info.created_by, info.metadata.primary_key) == ("ana", "id")
    edited = edit_metadata(wb, "bo", "d", MetadataEdit(kinds={"segment": "text"}))
    assert edited.version == 2
    delete_dataset(wb, "cy", "d")
    assert events(wb) == [("cy", "dataset.delete", "d"), ("bo", "dataset.metadata", "d"), ("ana", "dataset.create", "d")]


def test_an_upload_whose_audit_fails_is_not_published(wb, broken_audit):
    with pytest.raises(ServiceError):
        register_upload(wb, "ana", "d", CSV, "d.csv", UploadOptions())
    assert wb.datasets.list() == []
    assert not (wb.workspace / "datasets" / "d" / "v1").exists()


def test_a_bad_edit_names_the_column_and_is_not_audited(wb):
    register_upload(wb, "ana", "d", CSV, "d.csv", UploadOptions())
    with pytest.raises(ConfigError, match="Did you mean 'segment'"):
        edit_metadata(wb, "bo", "d", MetadataEdit(kinds={"segmnt": "text"}))
    assert events(wb, "dataset.metadata") == []
