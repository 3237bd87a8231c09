"""The same job functions run on a Dask distributed LocalCluster."""

from __future__ import annotations

import pytest

from finloom.jobs import DaskExecutor, JobService, WorkerConfig
from finloom.store import make_engine, make_session_factory, upgrade_database


@pytest.fixture(scope="module")
def dask_client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True, dashboard_address=":0")
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def test_dask_executor_runs_jobs_to_completion(dask_client, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade_database(make_engine(url))
    service = JobService(make_session_factory(make_engine(url)), WorkerConfig(url, str(tmp_path)), DaskExecutor(dask_client))
    ok = service.submit("demo.count", {"steps": 3, "delay": 0.01})
    bad = service.submit("demo.count", {"steps": 3, "delay": 0, "fail_at": 0})
    assert service.wait(ok.id, timeout=60).status == "succeeded"
    failed = service.wait(bad.id, timeout=60)
    assert failed.status == "failed" and "demo failure at step 0" in failed.error
