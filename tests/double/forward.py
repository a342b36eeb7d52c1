"""Read-only attributes that a handle passes through from the object it wraps."""

from __future__ import annotations

from typing import Generic, TypeVar, cast, overload

T = TypeVar("T")


class Forwarded(Generic[T]):
    """A read-only attribute read from the same-named attribute of another of the instance's attributes.

    ``token = Forwarded[str]("world")`` in a class body makes ``instance.token`` return ``instance.world.token``:
    the double's handles show a few of their records' fields this way, always current, never copied.
    """

    def __init__(self, via: str, *, doc: str | None = None) -> None:
        self._via = via
        self._name = ""
        self.__doc__ = doc

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> Forwarded[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> Forwarded[T] | T:
        if instance is None:
            return self
        return cast(T, getattr(getattr(instance, self._via), self._name))

    def __set__(self, instance: object, value: T) -> None:
        # Read-only, like a property without a setter: writing goes to the wrapped object, never to a copy here.
        raise AttributeError(f"{self._name} is read-only here; set {self._via}.{self._name} instead")
