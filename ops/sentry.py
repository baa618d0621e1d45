"""Error reports to Sentry or a Sentry-compatible service (GlitchTip, self-hosted Sentry), only when
SENTRY_DSN is set: imported from settings then, and only then is sentry-sdk loaded at all."""

from core.logging import redact


def init_sentry(dsn: str, *, environment: str) -> None:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        send_default_pii=False,  # no user e-mail, IP address, cookies or request bodies
        traces_sample_rate=0,  # errors only; performance is what /metrics is for
        before_send=scrub,
    )


def scrub(event, hint):
    """Masks anything shaped like an ID number anywhere in the report (messages, frames' variables)."""
    return _scrub(event)


def _scrub(value):
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {k: _scrub(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_scrub(v) for v in value]
    return value
