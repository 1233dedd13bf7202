"""The rubric editor's forms (aspect, criterion) and small layout helpers."""

from __future__ import annotations

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ovop_desktop.domain.rubric import LEVELS, TOTAL_WEIGHT, Aspect, Criterion, Text
from ovop_desktop.i18n import _

Item = QWidget | QLayout | int | tuple[QWidget, int]


def add_items(box: QBoxLayout, *items: Item) -> QBoxLayout:
    """Fill a box: widgets, layouts, an int for a stretch, (widget, stretch) pairs."""
    for item in items:
        if isinstance(item, int):
            box.addStretch(item)
        elif isinstance(item, tuple):
            box.addWidget(*item)
        elif isinstance(item, QLayout):
            box.addLayout(item)
        else:
            box.addWidget(item)
    return box


def row(*items: Item) -> QBoxLayout:
    return add_items(QHBoxLayout(), *items)


def panel(box: QBoxLayout, *items: Item) -> QWidget:
    panel = QWidget()
    panel.setLayout(add_items(box, *items))
    box.setContentsMargins(0, 0, 0, 0)
    return panel


class ItemForm(QWidget):
    """What both forms share: id and bilingual name. Signals: edited() on any change."""

    edited = Signal()

    def __init__(self, prefix: str) -> None:
        super().__init__()
        self.id_edit, self.name_id, self.name_en = (
            QLineEdit(objectName=f"{prefix}{part}Edit") for part in ("Id", "NameId", "NameEn"))
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        labels = (_("ID"), _("Name (Indonesian)"), _("Name (English)"))
        for label, edit in zip(labels, (self.id_edit, self.name_id, self.name_en), strict=True):
            self.form.addRow(label, edit)
            edit.textChanged.connect(self.edited)

    def _load_names(self, item: Aspect | Criterion) -> None:
        self.id_edit.setText(item.id)
        self.name_id.setText(item.name.id)
        self.name_en.setText(item.name.en)

    def _name(self) -> Text:
        return Text(self.name_id.text().strip(), self.name_en.text().strip())

    def set_read_only(self, read_only: bool) -> None:
        for kind in (QLineEdit, QPlainTextEdit, QSpinBox):
            for child in self.findChildren(kind):
                child.setReadOnly(read_only)


class AspectForm(ItemForm):
    """Edits one aspect's id, names and weight."""

    def __init__(self) -> None:
        super().__init__("aspect")
        self.weight = QSpinBox(objectName="weightSpin", minimum=0, maximum=TOTAL_WEIGHT)
        self.hint = QLabel(wordWrap=True)
        self.form.addRow(_("Weight"), self.weight)
        self.form.addRow("", self.hint)
        self.setLayout(self.form)
        self.weight.valueChanged.connect(self.edited)

    def load(self, aspect: Aspect, total: int) -> None:
        with QSignalBlocker(self):
            self._load_names(aspect)
            self.weight.setValue(aspect.weight)
        self.show_total(total)

    def show_total(self, total: int) -> None:
        self.hint.setText(_("All aspect weights together must make {goal}; now {total}.").format(
            goal=TOTAL_WEIGHT, total=total))

    def value(self, criteria: tuple[Criterion, ...]) -> Aspect:
        return Aspect(self.id_edit.text().strip(), self._name(), self.weight.value(), criteria)


class CriterionForm(ItemForm):
    """Edits one criterion: id, names, and the three level descriptors in both languages."""

    def __init__(self) -> None:
        super().__init__("criterion")
        grid = QGridLayout()
        grid.addWidget(QLabel(_("Indonesian")), 0, 1)
        grid.addWidget(QLabel(_("English")), 0, 2)
        self.levels: list[tuple[QPlainTextEdit, QPlainTextEdit]] = []
        for n in LEVELS:
            grid.addWidget(QLabel(_("Level {n}").format(n=n)), n, 0, Qt.AlignmentFlag.AlignTop)
            pair = (self._descriptor(f"level{n}IdEdit"), self._descriptor(f"level{n}EnEdit"))
            grid.addWidget(pair[0], n, 1)
            grid.addWidget(pair[1], n, 2)
            grid.setRowStretch(n, 1)
            self.levels.append(pair)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        title = QLabel("<b>" + _("Level descriptors") + "</b>")
        box = add_items(QVBoxLayout(self), self.form, title, grid)
        box.setContentsMargins(0, 0, 0, 0)

    def _descriptor(self, name: str) -> QPlainTextEdit:
        edit = QPlainTextEdit(objectName=name, tabChangesFocus=True, minimumHeight=64)
        edit.textChanged.connect(self.edited)
        return edit

    def load(self, criterion: Criterion) -> None:
        with QSignalBlocker(self):
            self._load_names(criterion)
            for (edit_id, edit_en), text in zip(self.levels, criterion.levels, strict=True):
                edit_id.setPlainText(text.id)
                edit_en.setPlainText(text.en)

    def value(self) -> Criterion:
        a, b, c = (Text(i.toPlainText().strip(), e.toPlainText().strip()) for i, e in self.levels)
        return Criterion(self.id_edit.text().strip(), self._name(), (a, b, c))
