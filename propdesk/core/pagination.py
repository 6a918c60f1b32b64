"""Pages of lists that grow without bound: a count that stops at a cap.

Counting a whole filtered archive to print "page 3 of 6,761" costs more than reading the 50 rows shown (at a
million requests, 249 ms of COUNT(*) for 1.8 ms of rows). ``CappedPaginator`` counts at most ``CAP + 1`` rows
(``SELECT COUNT(*) FROM (SELECT … LIMIT 1001)``): up to the cap the count is exact and the pages are Django's;
beyond it the list shows "1,000+", and a page knows whether there is a next one by reading one row more than it
shows, so a person can still page through every row (previous / next; a last-page link only when the count is
exact).
"""

from __future__ import annotations

from functools import cached_property
from math import ceil

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator

CAP = 1000


def capped_count(object_list, cap: int = CAP) -> int:
    """How many rows ``object_list`` has, counting at most ``cap + 1`` of them (a queryset counts in SQL over a
    LIMITed subquery)."""
    if hasattr(object_list, "order_by"):  # a count needs no order: without it the database stops at cap + 1 rows
        object_list = object_list.order_by()  # instead of fetching and sorting every match (a common search word)
    head = object_list[: cap + 1]
    count = getattr(head, "count", None)
    if callable(count) and hasattr(object_list, "query"):
        return count()
    return len(head)


def count_label(count: int, exact: bool) -> str:
    """The count as a person reads it: "37", or "1,000+" when it was capped."""
    return f"{count:,}" if exact else f"{count:,}+"


class CappedPage(Page):
    """A page of a capped list beyond what the count knows: it holds one row more than it shows, to tell whether
    there is a next page."""

    def __init__(self, object_list, number, paginator, *, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more

    def has_next(self):
        return self.more

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1


class CappedPaginator(Paginator):
    cap = CAP

    def __init__(self, object_list, per_page, *args, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, *args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def _head_count(self) -> int:
        return capped_count(self.object_list, self.cap)

    @property
    def exact(self) -> bool:
        """Whether ``count`` is every row (at most the cap) rather than a floor."""
        return self._head_count <= self.cap

    @cached_property
    def count(self) -> int:
        """The number of rows, or the cap when there are more."""
        return min(self._head_count, self.cap)

    @property
    def count_label(self) -> str:
        return count_label(self.count, self.exact)

    @property
    def capped(self) -> bool:
        return not self.exact

    @cached_property
    def num_pages(self) -> int:
        """Exact when the count is; otherwise the pages the cap covers (more may follow)."""
        if self.exact:
            return super().num_pages
        return ceil(self.cap / self.per_page)

    def validate_number(self, number):
        if self.exact:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        number = self.validate_number(number)
        if self.exact:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom: bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)

    def get_page(self, number):
        """Like Django's: a malformed number is page 1; a number past the end is the last page when the count is
        exact, else page 1 (the end of an uncounted list is not known without reading to it)."""
        try:
            number = self.validate_number(number)
        except PageNotAnInteger:
            number = 1
        except EmptyPage:
            number = self.num_pages if self.exact else 1
        try:
            return self.page(number)
        except EmptyPage:
            return self.page(1)

