from django import template

from studio.connections.models import ENGINE_PREFIX, Connection

register = template.Library()


@register.filter
def engine_label(engine: str) -> str:
    """What made a generation, in words: "Local", or the connection's name and vendor."""
    if not engine.startswith(ENGINE_PREFIX):
        return "Local"
    connection = Connection.objects.filter(pk=engine[len(ENGINE_PREFIX):]).first()
    return connection.label if connection else "a removed connection"
