"""Forms: allauth's login and signup in Flasky's words, and the two profile editors."""

from allauth.account import app_settings as allauth_settings
from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.email_verification import send_verification_email_to_address
from allauth.account.internal.flows.signup import complete_signup
from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from accounts import notifications, services, twofactor
from accounts.avatars import process_avatar
from accounts.models import Role, User
from accounts.validators import available_timezones


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Email")
        # allauth links "Forgot your password?" under the field; the page says it once, in Flasky's words.
        self.fields["password"].help_text = ""
        if "remember" in self.fields:
            self.fields["remember"].label = _("Keep me logged in")


class SignupForm(allauth_forms.SignupForm):
    """Registration that answers the same whether or not the address already has an account.

    allauth prevents enumeration at signup only with mandatory verification (unconfirmed Flasky users may
    log in), so it is done here with allauth's own pieces: a registration never logs in (Flasky sends the
    new user to confirm, then to log in), and an address that has an account gets allauth's "account
    already exists" email and the same "check your inbox" answer, with nothing created.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("Email")
        self.fields["username"].label = _("Username")
        self.fields["username"].help_text = User._meta.get_field("username").help_text
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Confirm password")

    def validate_unique_email(self, value):
        email = get_adapter().validate_unique_email(value)
        self.account_already_exists = User.objects.by_email(email).exists()
        return email

    def try_save(self, request):
        if self.account_already_exists:
            # allauth's enumeration mail, under its per-address rate limit like every confirmation.
            address = EmailAddress(user=None, email=self.cleaned_data["email"])
            send_verification_email_to_address(request, address, signup=True)
            return None, get_adapter().respond_email_verification_sent(request, None)
        user = self.save(request)
        # Mandatory for this one login: allauth then sends the confirmation and answers "check your inbox"
        # instead of logging in (later logins follow ACCOUNT_EMAIL_VERIFICATION, "optional").
        mandatory = allauth_settings.EmailVerificationMethod.MANDATORY
        return user, complete_signup(request, user=user, email_verification=mandatory)


class AddEmailForm(allauth_forms.AddEmailForm):
    """Changing to an address another account has: say so.

    Registration hides it (SignupForm), but only a logged-in user who has just re-entered their password
    gets here, under allauth's per-user limit; hiding it would only leave them waiting for a confirmation
    that can never work.
    """

    def clean_email(self):
        email = super().clean_email()
        if User.objects.by_email(email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Email already registered."), code="email_taken")
        return email


def timezone_choices():
    return [
        ("", _("Automatic (from your browser)")),
        *((name, name) for name in sorted(available_timezones())),
    ]


class ProfileForm(forms.ModelForm):
    """What every user edits about themselves."""

    avatar_upload = forms.FileField(
        label=_("Avatar"),
        required=False,
        help_text=_("A JPEG, PNG, GIF or WebP picture of at most 5 MB. It is cropped to a square."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    class Meta:
        model = User
        fields = ["name", "location", "about_me", "language", "timezone"]
        widgets = {"about_me": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["timezone"] = forms.ChoiceField(
            label=_("Time zone"),
            choices=timezone_choices,
            required=False,
            help_text=User._meta.get_field("timezone").help_text,
        )
        self.fields["language"].choices = [("", _("Automatic (from your browser)")), *settings.LANGUAGES]
        if not self.instance.avatar:
            del self.fields["remove_avatar"]

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        return process_avatar(upload) if upload else None

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            if self.cleaned_data.get("avatar_upload"):
                services.replace_avatar(user, self.cleaned_data["avatar_upload"])
            elif self.cleaned_data.get("remove_avatar"):
                services.remove_avatar(user)
        return user


class AdminProfileForm(ProfileForm):
    """What an administrator may change about anyone: identity, role and confirmation as well."""

    email = forms.EmailField(label=_("Email"), max_length=254)
    confirmed = forms.BooleanField(label=_("Confirmed"), required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    field_order = ["email", "username", "confirmed", "role", "is_active"]

    class Meta(ProfileForm.Meta):
        fields = ["username", "is_active", *ProfileForm.Meta.fields]

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.update(
            email=self.instance.email, confirmed=self.instance.confirmed, role=self.instance.role
        )
        if editor is not None and editor.pk == self.instance.pk:
            # Administrators do not demote or deactivate themselves (another administrator can).
            for name in ("role", "is_active"):
                self.fields[name].disabled = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.by_email(email).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Email already registered."), code="email_taken")
        return email

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Username already in use."), code="username_taken")
        return username

    @transaction.atomic
    def save(self, commit=True):
        user = super().save()
        data = self.cleaned_data
        # Email, confirmation and role go through the services that keep allauth's records in step.
        if data["email"] != user.email:
            services.set_email(user, data["email"], verified=data["confirmed"])
        if data["confirmed"] != user.confirmed:
            services.set_confirmed(user, data["confirmed"])
        if data["role"] != user.role:
            services.set_role(user, data["role"])
        return user


class EmailPreferencesForm(forms.Form):
    """Per kind of notification, a checkbox for the email (named after the kind, for the kinds that email)
    and one for the site (``site_<kind>``); and the daily digest of unread notifications."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        email_off = set(user.email_opt_outs.values_list("kind", flat=True))
        site_off = set(user.site_opt_outs.values_list("kind", flat=True))
        for kind, label in notifications.email_kinds().items():
            self.fields[kind] = forms.BooleanField(label=label, required=False, initial=kind not in email_off)
        for kind, label in notifications.notification_kinds().items():
            self.fields[f"site_{kind}"] = forms.BooleanField(
                label=label, required=False, initial=kind not in site_off
            )
        self.fields["digest"] = forms.BooleanField(
            label=_("Email me once a day about my unread notifications"),
            required=False,
            initial=notifications.wants_digest(user),
        )

    def email_fields(self):
        return [self[kind] for kind in notifications.email_kinds()]

    def site_fields(self):
        return [self[f"site_{kind}"] for kind in notifications.notification_kinds()]

    def save(self):
        data = self.cleaned_data
        notifications.set_preferences(
            self.user,
            email={kind for kind in notifications.email_kinds() if data[kind]},
            site={kind for kind in notifications.notification_kinds() if data[f"site_{kind}"]},
            digest=data["digest"],
        )


class DeleteAccountForm(forms.Form):
    """Deleting your account: your password again, your code if two-factor login is on, and what becomes of
    your posts and talks."""

    DELETE = "delete"
    KEEP = "keep"

    content = forms.ChoiceField(
        label=_("Your posts and talks"),
        choices=[
            (DELETE, _("Delete them")),
            (KEEP, _("Keep them, shown as written by “a deleted user”")),
        ],
        initial=DELETE,
        widget=forms.RadioSelect,
        help_text=_("Your comments stay where they are, shown as deleted."),
    )
    password = forms.CharField(label=_("Password"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, user, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        if twofactor.is_on(user):
            self.fields["code"] = forms.CharField(
                label=_("Authenticator code"),
                help_text=_("The code your authenticator app shows, or a recovery code."),
                widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
            )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That is not your password."), code="wrong_password")
        return password

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not twofactor.check_code(self.request, self.user, code):
            raise forms.ValidationError(_("That code is not right."), code="wrong_code")
        return code

    @property
    def keep_content(self):
        return self.cleaned_data["content"] == self.KEEP
