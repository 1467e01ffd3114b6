"""Secrets as Key Vault references: one vault per deployment, one secret per secret value.

The secret's value is a ``@secure()`` parameter (no default, nothing in main.parameters.json: azd asks
for it), the app setting is ``@Microsoft.KeyVault(SecretUri=...)``, and each app identity that reads
secrets gets Key Vault Secrets User on the vault (RBAC authorisation, no access policies). A site that
runs as a user-assigned identity must name it in ``keyVaultReferenceIdentity`` to resolve references.
"""

from __future__ import annotations

import re
from typing import Any

from translator.bicep import Call, Ident, Prop, interp
from translator.mapping.context import Builder

_VAULT = "Microsoft.KeyVault/vaults"
_SECRET = "Microsoft.KeyVault/vaults/secrets"
READER_ROLE = "Key Vault Secrets User"


def secret_name(setting: str) -> str:
    """A Key Vault secret name for an app setting (letters, digits and dashes, 1-127 characters).

    >>> secret_name("DB_PASSWORD"), secret_name("stripe.api_key")
    ('db-password', 'stripe-api-key')
    """
    name = re.sub(r"[^A-Za-z0-9]+", "-", setting).strip("-").lower()
    return (name or "secret")[:127]


class KeyVault:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.vault: str | None = None
        #: (secret name, value) -> secret symbol; one secret per distinct value of a name
        self._secrets: dict[tuple[str, Any], str] = {}
        self._names: set[str] = set()

    def _ensure_vault(self) -> str:
        if self.vault is None:
            self.vault = self.b.new_resource(
                "key vault",
                _VAULT,
                {
                    "name": interp(self.b.tables.prefix(_VAULT), Ident("resourceToken")),
                    "location": Ident("location"),
                    "tags": Ident("tags"),
                    "properties": {
                        "tenantId": Prop(Call("tenant"), ("tenantId",)),
                        "sku": {"family": "A", "name": "standard"},
                        "enableRbacAuthorization": True,
                        "enableSoftDelete": True,
                        "softDeleteRetentionInDays": 7,
                    },
                },
                comment="Key Vault for the secrets that were Lambda environment variables (RBAC authorised)",
            ).symbol
        return self.vault

    def reference(self, setting: str, value: Any, sources: tuple[str, ...], literal: bool) -> Any:
        """The Key Vault reference app setting for ``setting``; ``value`` is a Bicep value or a literal.

        A literal value (or an intrinsic with literal text) is never written: its secret takes a new @secure()
        parameter instead.
        """
        try:
            key: Any = (setting, value)
            hash(key)
        except TypeError:  # an unhashable Bicep tree: no sharing
            key = (setting, id(value))
        symbol = self._secrets.get(key)
        if symbol is None:
            vault = self._ensure_vault()
            if literal:
                was = "a literal" if isinstance(value, str) else "an expression with literal text in a"
                value = self.b.value_param(
                    f"{setting.lower()} secret",
                    f"Secret value of the app setting {setting} (was {was} Lambda environment variable). "
                    "Stored in Key Vault.",
                    secure=True,
                )
            name = secret_name(setting)
            candidate, n = name, 2
            while candidate in self._names:
                candidate = f"{name[:120]}-{n}"
                n += 1
            self._names.add(candidate)
            symbol = self.b.new_resource(
                f"{setting.lower()} vault secret",
                _SECRET,
                {"parent": Ident(vault), "name": candidate, "properties": {"value": value}},
                sources=sources,
                comment=f"Key Vault secret behind the app setting {setting}",
            ).symbol
            self._secrets[key] = symbol
        return interp("@Microsoft.KeyVault(SecretUri=", Prop(Ident(symbol), ("properties", "secretUri")), ")")

    def grant(self, identity: str, sources: tuple[str, ...]) -> None:
        """Let an app identity read the secrets."""
        self.b.role_assignment(self._ensure_vault(), READER_ROLE, identity, sources)
