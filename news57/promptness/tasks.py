"""Celery tasks of promptness: thin, the work and its once-only guarantee are in warnings.send_warnings."""

import logging

from celery import shared_task

from .warnings import send_warnings

logger = logging.getLogger(__name__)


@shared_task(name="news57.promptness.send_deadline_warnings", ignore_result=True)
def send_deadline_warnings():
    """Beat's tick: e-mail the agencies whose queued documents are nearly due or overdue."""
    sent = send_warnings()
    if sent.warnings or sent.overdue or sent.failed:
        logger.info(
            "Deadline e-mails: %d warnings, %d overdue notices sent, %d failed",
            sent.warnings,
            sent.overdue,
            sent.failed,
        )
