"""VpcConfig becomes VNet integration; FileSystemConfigs (EFS) becomes an Azure Files mount.

- VNet integration on Flex Consumption: the subnet must be delegated to ``Microsoft.App/environments`` and
  the site names it in ``virtualNetworkSubnetId`` (research/azure-target.md §2.10). One virtual network per
  deployment, one /24 subnet per app that needs it; AWS subnets and security groups are reported, not copied.
- Azure Files on Flex: SMB shares, mounted with the storage account key (§2.10). The host storage account
  allows no shared keys, so the shares live in their own account.
"""

from __future__ import annotations

from typing import Any

from translator.bicep import Call, Ident, Index, Prop, interp
from translator.mapping.context import Builder
from translator.mapping.services import kebab
from translator.values import Arr, GetAtt, Obj, Ref

_VNET = "Microsoft.Network/virtualNetworks"
_STORAGE = "Microsoft.Storage/storageAccounts"
_DELEGATION = "Microsoft.App/environments"
_ADDRESS_SPACE = "10.0.0.0/16"
_MAX_SUBNETS = 255  # 10.0.1.0/24 ... 10.0.255.0/24


def describe(value: Any) -> str:
    """A short human name for a subnet, security group or file system reference (never a raw tree).

    >>> describe(Ref("PrivateSubnetA")), describe("sg-0123"), describe(GetAtt("Efs", "Arn"))
    ('PrivateSubnetA', 'sg-0123', 'Efs')
    """
    if isinstance(value, Ref):
        return value.target
    if isinstance(value, GetAtt):
        return value.resource
    if isinstance(value, str):
        text = str(value)
        return text.rsplit("/", 1)[-1] if text.startswith("arn:") else text
    return "<expression>"


def listed(value: Any) -> list[str]:
    items = value if isinstance(value, Arr) else ([value] if value is not None else [])
    return [describe(item) for item in items]


def vpc_key(value: Any) -> str:
    """The grouping key of a VpcConfig: functions with the same subnets and security groups share a network.

    >>> vpc_key(None), vpc_key(Obj({"SubnetIds": Arr([Ref("B"), Ref("A")])}))
    ('', 'subnets A, B; security groups -')
    """
    if not isinstance(value, Obj):
        return ""
    subnets = sorted(listed(value.get("SubnetIds")))
    groups = sorted(listed(value.get("SecurityGroupIds")))
    if not subnets and not groups:
        return ""
    return f"subnets {', '.join(subnets) or '-'}; security groups {', '.join(groups) or '-'}"


class Network:
    def __init__(self, builder: Builder) -> None:
        self.b = builder
        self.vnet: str | None = None
        self._subnets: list[dict[str, Any]] = []
        self._files_account: str | None = None
        self._file_service: str | None = None
        self._shares: dict[str, str] = {}

    # ---- VNet integration ---------------------------------------------------------------------------
    def subnet_for(self, app_name: str, sources: tuple[str, ...]) -> Any:
        """A new subnet delegated to Microsoft.App/environments for one app; its id for the site.

        None when the /16 has no /24 left (more than 255 apps in VPCs): the caller reports it.
        """
        if len(self._subnets) >= _MAX_SUBNETS:
            return None
        if self.vnet is None:
            self.vnet = self.b.new_resource(
                "virtual network",
                _VNET,
                {
                    "name": interp(self.b.tables.prefix(_VNET), Ident("resourceToken")),
                    "location": Ident("location"),
                    "tags": Ident("tags"),
                    "properties": {
                        "addressSpace": {"addressPrefixes": [_ADDRESS_SPACE]},
                        "subnets": self._subnets,
                    },
                },
                comment="virtual network for the apps that ran in a VPC (VNet integration)",
            ).symbol
        number = len(self._subnets) + 1
        name = f"snet-{app_name}"[:80]
        self._subnets.append(
            {
                "name": name,
                "properties": {
                    "addressPrefix": f"10.0.{number}.0/24",
                    "delegations": [{"name": "flex-consumption", "properties": {"serviceName": _DELEGATION}}],
                },
            }
        )
        for source in sources:
            self.b.made_from.setdefault(source, []).append(self.vnet)
        return interp(Prop(Ident(self.vnet), ("id",)), f"/subnets/{name}")

    # ---- Azure Files ----------------------------------------------------------------------------------
    def share_for(self, file_system: Any, sources: tuple[str, ...]) -> tuple[str, str]:
        """The (storage account symbol, share symbol) standing in for one EFS file system or access point."""
        label = describe(file_system)
        share = self._shares.get(label)
        if share is not None:
            assert self._files_account is not None
            return self._files_account, share
        if self._files_account is None:
            self._files_account = self.b.new_resource(
                "files storage",
                _STORAGE,
                {
                    "name": interp(self.b.tables.prefix(_STORAGE), "files", Ident("resourceToken")),
                    "location": Ident("location"),
                    "tags": Ident("tags"),
                    "kind": "StorageV2",
                    "sku": {"name": "Standard_LRS"},
                    "properties": {
                        # an SMB mount on Flex Consumption authenticates with the account key
                        "allowSharedKeyAccess": True,
                        "allowBlobPublicAccess": False,
                        "minimumTlsVersion": "TLS1_2",
                        "supportsHttpsTrafficOnly": True,
                    },
                },
                comment="Azure Files shares that replace EFS file systems (SMB, mounted with the account key)",
            ).symbol
            self._file_service = self.b.new_resource(
                "files storage file service",
                f"{_STORAGE}/fileServices",
                {"parent": Ident(self._files_account), "name": "default"},
            ).symbol
        share = self.b.new_resource(
            f"{label} share",
            f"{_STORAGE}/fileServices/shares",
            {
                "parent": Ident(self._file_service),
                "name": (kebab(label, 63) or "share").lower(),
                "properties": {"enabledProtocols": "SMB"},
            },
            sources=sources,
            comment=f"Azure Files share for EFS {label}",
        ).symbol
        self._shares[label] = share
        return self._files_account, share

    def mount(self, site: str, mounts: dict[str, tuple[str, str, str]], sources: tuple[str, ...]) -> None:
        """``Microsoft.Web/sites/config`` azurestorageaccounts: mount name -> (account, share, path)."""
        properties = {}
        for name, (account, share, path) in sorted(mounts.items()):
            keys = Prop(Call(f"{account}.listKeys"), ("keys",))
            properties[name] = {
                "type": "AzureFiles",
                "protocol": "Smb",
                "accountName": Prop(Ident(account), ("name",)),
                "shareName": Prop(Ident(share), ("name",)),
                "mountPath": path,
                "accessKey": Prop(Index(keys, 0), ("value",)),
            }
        self.b.new_resource(
            f"{site} storage mounts",
            "Microsoft.Web/sites/config",
            {"parent": Ident(site), "name": "azurestorageaccounts", "properties": properties},
            sources=sources,
            comment="Azure Files mounts (Lambda FileSystemConfigs)",
        )
