"""What several admin listings share: the empty-value mark and the Vietnam-time column."""

from wagtail.admin.ui.tables import Column

from ..vietnam_time import shown

NO_VALUE = "—"


class VietnamTimeColumn(Column):
    """A moment stored in UTC, shown in Vietnam time; "—" when there is none."""

    empty_value_display = NO_VALUE

    def get_value(self, instance):
        return shown(super().get_value(instance))
