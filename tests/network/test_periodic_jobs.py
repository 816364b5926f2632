"""Apps add their periodic jobs through the core's hook; the one command runs them all, and a failing job
never stops the others."""

import pytest
from django.core.management import call_command
from wagtail import hooks

from network.hooks import PERIODIC_JOBS

pytestmark = pytest.mark.django_db


class Stop(Exception):
    pass


def test_a_job_an_app_registers_runs_with_the_cores(monkeypatch):
    ran = []

    def broken(run):
        ran.append("broken")
        raise RuntimeError("the mail server is down")

    def stop_after_one_round(seconds):
        raise Stop

    monkeypatch.setattr("network.management.commands.periodic.time.sleep", stop_after_one_round)
    jobs = {"broken": broken, "counted": lambda run: ran.append(("counted", run.verbosity))}
    with hooks.register_temporarily(PERIODIC_JOBS, lambda: jobs), pytest.raises(Stop):
        call_command("periodic", loop=60, verbosity=2)

    assert ran == ["broken", ("counted", 2)]  # the failure was logged, the round went on


def test_without_loop_a_failing_job_fails_the_command_for_cron_to_report():
    def broken(run):
        raise RuntimeError("boom")

    with hooks.register_temporarily(PERIODIC_JOBS, lambda: {"broken": broken}), pytest.raises(RuntimeError):
        call_command("periodic")
