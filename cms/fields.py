"""A cheaper field class for the model columns of the GraphQL types.

strawberry-django marks every field of its types as non-basic, so each value, even a plain
column such as a title, is resolved through a per-field ``Info``, argument conversion and the
field-extension chain. On a list of 20 articles that is several hundred needless resolver
calls per request. :class:`ColumnField` (passed as the documented ``field_cls`` of
``strawberry_django.type``) lets strawberry read such a value as a plain attribute; the
optimizer still sees a strawberry-django field, selects the column in ``only()`` and joins or
prefetches the relation.

A column, and a forward foreign key (``section``, ``leadImage``), qualify: strawberry-django's
own resolver does nothing more for them than read the attribute (the related row the
optimizer loaded, or one query when it did not). Anything else (a reverse or many-to-many
relation, a file, a property, a resolver, arguments or field extensions) stays an ordinary
strawberry-django field.
"""

from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForwardManyToOneDescriptor
from django.db.models.query_utils import DeferredAttribute
from strawberry_django.fields.field import StrawberryDjangoField


class ColumnField(StrawberryDjangoField):
    @property
    def is_basic_field(self) -> bool:
        if self.base_resolver is not None or self.extensions or self.arguments:
            return False
        if self.origin_django_type is None:
            return False
        descriptor = getattr(self.origin_django_type.model, self.django_name or "", None)
        if isinstance(descriptor, ForwardManyToOneDescriptor):
            return True
        return (
            not self.is_relation
            and isinstance(descriptor, DeferredAttribute)
            and not isinstance(descriptor, FileDescriptor)
        )

    def get_result(self, source, info, args, kwargs):
        # strawberry calls a basic field with no ``info``: the attribute is all it needs (a
        # deferred column or a related row not loaded along still loads, as it would through
        # strawberry-django's resolver).
        if info is None and source is not None:
            return getattr(source, self.django_name)
        return super().get_result(source, info, args, kwargs)
