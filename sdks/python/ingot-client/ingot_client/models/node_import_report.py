from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.node_view import NodeView


T = TypeVar("T", bound="NodeImportReport")


@_attrs_define
class NodeImportReport:
    """Every row was valid and all were imported. (A bad row imports nothing: the problem's
    `errors` name each bad row as `nodes[i].field`.)

        Attributes:
            imported (list[NodeView]):
    """

    imported: list[NodeView]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        imported = []
        for imported_item_data in self.imported:
            imported_item = imported_item_data.to_dict()
            imported.append(imported_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "imported": imported,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.node_view import NodeView  # noqa: PLC0415

        d = dict(src_dict)
        imported = []
        _imported = d.pop("imported")
        for imported_item_data in _imported:
            imported_item = NodeView.from_dict(imported_item_data)

            imported.append(imported_item)

        node_import_report = cls(
            imported=imported,
        )

        node_import_report.additional_properties = d
        return node_import_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
