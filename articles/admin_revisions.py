"""The article admin's revision history and its guard against lost updates.

:class:`RevisionAdminMixin` gives the article page a "Revisions" list, a comparison of any two
versions (or of one with the article as it is now), and a revert button. It records a revision
on every save through the form, after the byline, tags and corrections are saved, and refuses a
save based on a version someone else has saved over since the form was opened.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import revisions
from .models import ArticleRevision

VERSION_FIELD = "base_version"
REVISIONS_PER_PAGE = 50


def _user_name(user):
    if user is None:
        return _("Someone")
    return user.get_full_name() or user.get_username()


def _clock(moment):
    """HH:MM for today, else the date too, in the site's time zone."""
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return local.strftime("%H:%M")
    return local.strftime("%Y-%m-%d %H:%M")


class VersionCheckedForm:
    """Mixed into the article's change form: refuses a save based on an older version.

    The form carries the version it was opened on in a hidden field. Validation claims that
    version (:func:`articles.revisions.claim_version`), which locks the article until the
    admin's transaction ends; if someone saved in between, the form is invalid with a message
    naming who and when, and shows the user's input again, unsaved.
    """

    #: Set by the admin: ``compare_url(base_version, current_version)`` or the revisions list.
    compare_url = None

    def clean(self):
        cleaned_data = super().clean()
        base_version = cleaned_data.get(VERSION_FIELD)
        if base_version is None:
            raise ValidationError(
                _("The form lacks the version it was opened on; reload the page."),
                code="version_missing",
            )
        if not revisions.claim_version(self.instance, base_version):
            user, moment, version = revisions.last_save(self.instance)
            raise ValidationError(
                format_html(
                    '{} <a href="{}" class="stale-compare">{}</a>',
                    _(
                        "%(user)s saved this article at %(time)s (version %(version)d) after "
                        "you opened it. Your changes are below and were not saved; nothing was "
                        "overwritten. Compare with the saved version:"
                    )
                    % {"user": _user_name(user), "time": _clock(moment), "version": version},
                    self.compare_url(base_version, version),
                    _("what changed since version %(version)d") % {"version": base_version},
                ),
                code="stale_version",
            )
        return cleaned_data


class RevisionAdminMixin:
    """Revisions for the article admin: history, comparison, revert and the version check."""

    revisions_template = "admin/articles/article/revisions.html"
    revision_template = "admin/articles/article/revisions_detail.html"
    compare_template = "admin/articles/article/revisions_compare.html"

    # -- The form --------------------------------------------------------------------------

    def get_fieldsets(self, request, obj=None):
        """The change form also carries, hidden, the version it was opened on."""
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or not fieldsets or not self.has_change_permission(request, obj):
            return fieldsets  # nothing to save: no version to check
        name, options = fieldsets[0]
        fieldsets[0] = (name, {**options, "fields": [*options["fields"], VERSION_FIELD]})
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        fields = kwargs.get("fields")
        if fields is not None:
            kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        opts, admin_name = self.opts, self.admin_site.name

        def compare_url(base_version, current_version):
            if not ArticleRevision.objects.filter(article=obj, version=base_version).exists():
                return reverse(
                    f"{admin_name}:{opts.app_label}_{opts.model_name}_revisions", args=[obj.pk]
                )
            return (
                reverse(
                    f"{admin_name}:{opts.app_label}_{opts.model_name}_revisions_compare",
                    args=[obj.pk],
                )
                + "?"
                + urlencode({"from": base_version, "to": current_version})
            )

        return type(
            form.__name__,
            (VersionCheckedForm, form),
            {
                VERSION_FIELD: forms.IntegerField(
                    widget=forms.HiddenInput, initial=obj.version, required=False
                ),
                "compare_url": staticmethod(compare_url),
            },
        )

    # -- Saving ----------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        if change:
            revisions.record_baseline(obj.pk)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """Record the revision once the byline, tags and corrections are saved too."""
        super().save_related(request, form, formsets, change)
        revisions.record_revision(
            form.instance, request.user, self._summary(form, formsets, change)
        )

    def _summary(self, form, formsets, change):
        if not change:
            return _("Created")
        changed = [
            str(form.fields[name].label or name)
            for name in form.changed_data
            if name != VERSION_FIELD and name in form.fields
        ]
        changed += [
            str(capfirst(formset.model._meta.verbose_name_plural))
            for formset in formsets
            if formset.has_changed()
        ]
        if not changed:
            return _("Saved without changes")
        return _("Changed %(fields)s") % {"fields": ", ".join(changed)}

    # -- Pages -----------------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="{}_{}_revisions".format(*info),
            ),
            path(
                "<path:object_id>/revisions/compare/",
                view(self.revisions_compare_view),
                name="{}_{}_revisions_compare".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:version>/",
                view(self.revision_view),
                name="{}_{}_revision".format(*info),
            ),
            path(
                "<path:object_id>/revisions/<int:version>/revert/",
                view(require_POST(self.revision_revert_view)),
                name="{}_{}_revision_revert".format(*info),
            ),
            *super().get_urls(),
        ]

    def _url(self, name, *args):
        opts = self.opts
        return reverse(
            f"{self.admin_site.name}:{opts.app_label}_{opts.model_name}_{name}", args=args
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "revisions_url": self._url("revisions", object_id),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _viewable_article(self, request, object_id):
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No article with this id."))
        if not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def _context(self, request, article, title, **extra):
        return {
            **self.admin_site.each_context(request),
            "title": title,
            "subtitle": None,
            "object": article,
            "opts": self.opts,
            "module_name": str(capfirst(self.opts.verbose_name_plural)),
            "revisions_url": self._url("revisions", article.pk),
            **extra,
        }

    def _render(self, request, template, context):
        request.current_app = self.admin_site.name
        return TemplateResponse(request, template, context)

    def revisions_view(self, request, object_id):
        """Every revision, newest first, with links to view, compare and revert."""
        article = self._viewable_article(request, object_id)
        queryset = article.revisions.select_related("created_by").defer("data")
        paginator = self.get_paginator(request, queryset, REVISIONS_PER_PAGE)
        page = paginator.get_page(request.GET.get(PAGE_VAR, 1))
        rows = list(page)
        compare = self._url("revisions_compare", article.pk)
        for index, revision in enumerate(rows):
            revision.view_url = self._url("revision", article.pk, revision.version)
            revision.revert_url = self._url("revision_revert", article.pk, revision.version)
            revision.is_current = revision.version == article.version
            if not revision.is_current:
                revision.compare_current_url = compare + "?" + urlencode({"from": revision.version})
            older_on_page = index + 1 < len(rows) or page.has_next()
            if older_on_page:
                revision.compare_previous_url = compare + "?" + urlencode({"to": revision.version})
        context = self._context(
            request,
            article,
            _("Revisions: %s") % article,
            revisions=rows,
            page=page,
            page_range=paginator.get_elided_page_range(page.number),
            page_var=PAGE_VAR,
            can_revert=self.has_change_permission(request, article)
            and revisions.can_edit(request.user, article),
        )
        return self._render(request, self.revisions_template, context)

    def revision_view(self, request, object_id, version):
        """One revision on its own: every field as it was saved."""
        article = self._viewable_article(request, object_id)
        revision = get_object_or_404(
            article.revisions.select_related("created_by"), version=version
        )
        context = self._context(
            request,
            article,
            _("Version %(version)d of “%(title)s”") % {"version": version, "title": article},
            revision=revision,
            rows=revisions.describe(revision.data),
            revert_url=self._url("revision_revert", article.pk, version),
            can_revert=revision.version != article.version
            and self.has_change_permission(request, article)
            and revisions.can_edit(request.user, article),
        )
        return self._render(request, self.revision_template, context)

    def revisions_compare_view(self, request, object_id):
        """What changed between two versions: ``?from=`` (default: the one before ``to``) and
        ``?to=`` (default: the article as it is now)."""
        article = self._viewable_article(request, object_id)
        try:
            to_version = int(request.GET["to"]) if request.GET.get("to") else None
            from_version = int(request.GET["from"]) if request.GET.get("from") else None
        except ValueError:
            raise Http404(_("Versions are numbers.")) from None
        if to_version is None:
            new, new_label = (
                revisions.snapshot(article),
                _("now (version %(version)d)") % {"version": article.version},
            )
            new_revision = None
        else:
            new_revision = get_object_or_404(article.revisions, version=to_version)
            new, new_label = new_revision.data, _("version %(version)d") % {"version": to_version}
        if from_version is None:
            older = article.revisions.all()
            if to_version is not None:
                older = older.filter(version__lt=to_version)
            old_revision = older.first()
            if old_revision is None:
                raise Http404(_("There is no earlier version to compare with."))
        else:
            old_revision = get_object_or_404(article.revisions, version=from_version)
        context = self._context(
            request,
            article,
            _("Changes to “%(title)s” from version %(old)d to %(new)s")
            % {"title": article, "old": old_revision.version, "new": new_label},
            old_revision=old_revision,
            new_revision=new_revision,
            new_label=new_label,
            changes=revisions.compare(old_revision.data, new),
        )
        return self._render(request, self.compare_template, context)

    def revision_revert_view(self, request, object_id, version):
        """Restore a revision's content (POST only); the result is a new revision."""
        article = self.get_object(request, unquote(object_id))
        if article is None:
            raise Http404(_("No article with this id."))
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        revision = get_object_or_404(article.revisions, version=version)
        try:
            result = revisions.revert(article, revision, request.user)  # PermissionDenied: 403
        except ValidationError as error:
            for message in error.messages:
                self.message_user(request, message, messages.ERROR)
            return HttpResponseRedirect(self._url("revisions", article.pk))
        self.log_change(request, result.article, result.revision.summary)
        self.message_user(
            request,
            _("Reverted to version %(old)d; the article is now at version %(new)d.")
            % {"old": version, "new": result.article.version},
            messages.SUCCESS,
        )
        for message in result.skipped:
            self.message_user(request, message, messages.WARNING)
        return HttpResponseRedirect(self._url("change", article.pk))
