"""The Django admin for users: search, filters, role and activation actions, each in the admin log."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts import services
from accounts.forms import timezone_choices
from accounts.models import Role, User
from accounts.roles import sees_member_emails


class _LowerCaseEmail:
    """Emails are stored lower-case (a check constraint says so): lower-case what the administrator typed
    before the constraint is validated, instead of failing on it."""

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()


class UserCreationForm(_LowerCaseEmail, auth_forms.AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "username")


class UserChangeForm(_LowerCaseEmail, auth_forms.UserChangeForm):
    # A list of the zones this machine knows, as on the profile editor, rather than a box to type one in.
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        choices=timezone_choices,
        required=False,
        help_text=User._meta.get_field("timezone").help_text,
    )

    class Meta:
        model = User
        fields = "__all__"


def _role_action(role):
    def action(modeladmin, request, queryset):
        changed = 0
        # Not the acting administrator: nobody demotes themselves out of the admin by a slip of the mouse.
        for user in queryset.exclude(role=role).exclude(pk=request.user.pk):
            services.set_role(user, role)
            modeladmin.log_change(request, user, _("Role set to %(role)s.") % {"role": role.label})
            changed += 1
        modeladmin.message_user(
            request,
            ngettext("%(count)d user is now %(role)s.", "%(count)d users are now %(role)s.", changed)
            % {"count": changed, "role": role.label},
            messages.SUCCESS,
        )

    action.__name__ = f"make_{role.value}"
    action.short_description = _("Set the role of the selected users to %(role)s") % {"role": role.label}
    action.allowed_permissions = ("change",)
    return action


def _activation_action(active):
    def action(modeladmin, request, queryset):
        users = list(queryset.exclude(is_active=active).exclude(pk=request.user.pk))
        for user in users:
            user.is_active = active
            user.save(update_fields=["is_active"])
            modeladmin.log_change(request, user, _("Activated.") if active else _("Deactivated."))
        modeladmin.message_user(
            request,
            ngettext("%(count)d user updated.", "%(count)d users updated.", len(users))
            % {"count": len(users)},
            messages.SUCCESS,
        )

    action.__name__ = "activate" if active else "deactivate"
    action.short_description = (
        _("Activate the selected users") if active else _("Deactivate the selected users")
    )
    action.allowed_permissions = ("change",)
    return action


# Roles are a field and a table in code (accounts.roles): auth Groups decide nothing here, and a Group admin
# would only invite edits that change nothing.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    list_display = [
        "username",
        "email",
        "name",
        "role",
        "confirmed",
        "is_active",
        "member_since",
        "last_seen",
    ]
    list_filter = ["role", "confirmed", "is_active"]
    search_fields = ["username", "email", "name"]
    ordering = ["-member_since"]
    date_hierarchy = "member_since"
    readonly_fields = ["member_since", "last_seen", "last_login"]
    filter_horizontal = []
    fieldsets = [
        (None, {"fields": ["email", "username", "password"]}),
        (_("Role and status"), {"fields": ["role", "confirmed", "is_active"]}),
        (_("Profile"), {"fields": ["name", "location", "about_me", "avatar", "language", "timezone"]}),
        (_("Dates"), {"fields": ["member_since", "last_seen", "last_login"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "username", "usable_password", "password1", "password2"],
            },
        ),
    ]
    actions = [
        _role_action(Role.USER),
        _role_action(Role.MODERATOR),
        _role_action(Role.ADMINISTRATOR),
        _activation_action(False),
        _activation_action(True),
    ]

    # Moderators view members here, but a member's email address is for administrators only (as on
    # profiles): not listed, not on the form, and neither searchable nor filterable, which would reveal it.
    def get_list_display(self, request):
        fields = super().get_list_display(request)
        return fields if sees_member_emails(request.user) else [f for f in fields if f != "email"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if sees_member_emails(request.user) else [f for f in fields if f != "email"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if sees_member_emails(request.user):
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "email"]})
            for name, options in fieldsets
        ]

    def lookup_allowed(self, lookup, value, request=None):
        if lookup.split("__", 1)[0] == "email" and not (request and sees_member_emails(request.user)):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_readonly_fields(self, request, obj=None):
        # Administrators do not change their own role or deactivate themselves here (another one can).
        if obj is not None and obj.pk == request.user.pk:
            return [*self.readonly_fields, "role", "is_active"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        # Keep allauth's email records in step with what the administrator changed.
        if not change:
            super().save_model(request, obj, form, change)
            services.add_primary_address(obj)
        elif {"email", "confirmed"} & set(form.changed_data):
            email, confirmed = obj.email, obj.confirmed
            obj.refresh_from_db(fields=["email", "confirmed"])
            super().save_model(request, obj, form, change)
            if email.lower() != obj.email:
                services.set_email(obj, email, verified=confirmed)
            services.set_confirmed(obj, confirmed)
        else:
            super().save_model(request, obj, form, change)
