"""Re-encrypt and re-hash every stored personal identifier with the newest keys.

    FIELD_ENCRYPTION_KEYS=new,old FIELD_HASH_KEYS=new,old python manage.py rotate_field_keys
    python manage.py rotate_field_keys --check       # rows still on an older key (exit 1 if any)
    python manage.py rotate_field_keys --generate    # a new encryption key and hash key to add
    python manage.py rotate_field_keys --legacy-keys # the keys derived from DJANGO_SECRET_KEY

Resumable: each batch commits on its own and rows already on the newest keys are skipped.
"""

import secrets

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.crypto import legacy_encryption_key
from ops import rotation


class Command(BaseCommand):
    help = "Re-encrypt and re-hash stored ID numbers with the newest FIELD_ENCRYPTION_KEYS / FIELD_HASH_KEYS key."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="count rows still on an older key; exit 1 if any"
        )
        parser.add_argument("--generate", action="store_true", help="print a new encryption key and hash key")
        parser.add_argument(
            "--legacy-keys",
            action="store_true",
            help="print the keys derived from DJANGO_SECRET_KEY (installations that never set their own)",
        )
        parser.add_argument("--batch-size", type=int, default=rotation.BATCH_SIZE)

    def handle(self, *args, check, generate, legacy_keys, batch_size, **options):
        if generate:
            self.stdout.write(f"FIELD_ENCRYPTION_KEYS (add first): {Fernet.generate_key().decode()}")
            self.stdout.write(f"FIELD_HASH_KEYS (add first): {secrets.token_urlsafe(48)}")
            return
        if legacy_keys:
            self.stdout.write(f"FIELD_ENCRYPTION_KEYS (add last): {legacy_encryption_key()}")
            self.stdout.write("FIELD_HASH_KEYS (add last): the value of DJANGO_SECRET_KEY")
            return
        if check:
            stale = {c.label: rotation.stale_rows(c) for c in rotation.encrypted_columns()}
            for label, count in stale.items():
                self.stdout.write(f"{label}: {count} row(s) on an older key")
            if any(stale.values()):
                raise CommandError(
                    "Some rows are still on an older key: run rotate_field_keys before removing it."
                )
            self.stdout.write(
                self.style.SUCCESS("Every row is on the newest keys; older keys may be removed.")
            )
            return
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self.stdout.write(
            f"Newest keys: encryption key 1 of {len(settings.FIELD_ENCRYPTION_KEYS) or 1}, "
            f"hash key 1 of {len(settings.FIELD_HASH_KEYS) or 1}."
        )
        rewritten = rotation.rotate_all(batch_size=batch_size, report=self._progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done: {rewritten} row(s) rewritten. Check with --check, then remove the older keys."
            )
        )

    def _progress(self, p: rotation.Progress) -> None:
        self.stdout.write(f"{p.column}: {p.seen}/{p.total} rows checked, {p.rewritten} rewritten")
