from django.apps import AppConfig

from core.portal import Mount


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = "方案與媒合"
    urls = (Mount("programs/", "programs.urls"),)
    menu_order = 10
