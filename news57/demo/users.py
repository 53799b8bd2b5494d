"""The demo's accounts: an editor and a leader per agency site, a supervisor per province, one admin.

Passwords are random and returned once so the command can print them; none is written in code or settings.
"""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .agencies import DEMO_AGENCIES

ROLES = {
    "editor": _("editor"),
    "leader": _("leader"),
    "supervisor": _("supervisor"),
    "administrator": _("source administrator"),
    "admin": _("administrator"),
}

# (family and middle name, given name): first_name holds the family part so that
# Django's get_full_name() ("first last") reads in Vietnamese order.
PEOPLE = {
    "trunguong.bientap": ("Nguyễn Thu", "Hà"),
    "trunguong.lanhdao": ("Trần Quốc", "Bảo"),
    "langson.bientap": ("Hoàng Thị", "Mai"),
    "langson.lanhdao": ("Lương Văn", "Thành"),
    "thanhtra-langson.bientap": ("Vi Thị", "Hương"),
    "thanhtra-langson.lanhdao": ("Nông Đức", "Minh"),
    "hoangvanthu.bientap": ("Lăng Thị", "Thảo"),
    "hoangvanthu.lanhdao": ("Chu Văn", "Khánh"),
    "vpubnd-laichau.bientap": ("Lò Thị", "Xuân"),
    "vpubnd-laichau.lanhdao": ("Tẩn Văn", "Hải"),
    "giamsat.langson": ("Đinh Thị", "Lan"),
    "giamsat.laichau": ("Vàng Văn", "Sơn"),
    "quantri.langson": ("Hà Văn", "Tuấn"),
    "quantri.laichau": ("Sùng Thị", "Dợ"),
    "admin": ("Quản trị", "hệ thống"),
}

SUPERVISED_PROVINCES = ["langson", "laichau"]


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    agency: str
    password: str | None  # None: an existing account whose password was left alone

    @property
    def role_label(self):
        return ROLES[self.role]


def _ensure_user(username, role, agency_name, groups=(), superuser=False, reset_password=False):
    User = get_user_model()
    first_name, last_name = PEOPLE[username]
    user = User.objects.filter(username=username).first()
    created = user is None
    if created:
        user = User(username=username, first_name=first_name, last_name=last_name, email=f"{username}@example.vn")
    if superuser:
        user.is_superuser = user.is_staff = True
    password = None
    if created or reset_password:
        password = secrets.token_urlsafe(12)
        user.set_password(password)
    user.save()
    user.groups.add(*[group for group in groups if group is not None])
    return Account(username, role, agency_name, password), created


@transaction.atomic
def ensure_users(setups, reset_passwords=False):
    """Every demo account; returns ([Account], number created) with passwords only where they were set."""
    accounts, created = [], 0

    def ensure(*args, **kwargs):
        nonlocal created
        account, is_new = _ensure_user(*args, reset_password=reset_passwords, **kwargs)
        accounts.append(account)
        created += is_new

    ensure("admin", "admin", "", superuser=True)
    for demo in DEMO_AGENCIES:
        setup = setups[demo.slug]
        if demo.has_site:
            ensure(f"{demo.slug}.bientap", "editor", demo.short_name, groups=[setup.editors])
            ensure(f"{demo.slug}.lanhdao", "leader", demo.short_name, groups=[setup.leaders])
    for slug in SUPERVISED_PROVINCES:
        setup = setups[slug]
        ensure(f"giamsat.{slug}", "supervisor", setup.agency.short_name, groups=[setup.supervisors])
        ensure(f"quantri.{slug}", "administrator", setup.agency.short_name, groups=[setup.administrators])
    return accounts, created
