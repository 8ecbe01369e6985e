from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _staff_groups_after_migrate(sender, **kwargs):
    # The models are not loaded when this module is imported (Django imports apps first).
    from articles.services import editors_group_ensure, reviewers_group_ensure

    editors_group_ensure()
    reviewers_group_ensure()


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Articles")

    def ready(self):
        # A data migration cannot do this: permissions do not exist yet on a fresh database
        # when migrations run, and transactional tests flush the tables (then re-send this).
        post_migrate.connect(
            _staff_groups_after_migrate, sender=self, dispatch_uid="articles_editors_group"
        )
