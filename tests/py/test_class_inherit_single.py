# single inheritance: overriding, calling base methods explicitly, attribute lookup through bases
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return self.name + " says " + self.sound
    def kind(self):
        return "animal"
class Dog(Animal):
    sound = "woof"
    def kind(self):
        return "dog, an " + Animal.kind(self)
class Puppy(Dog):
    def __init__(self, name, age):
        Dog.__init__(self, name)
        self.age = age
    def speak(self):
        return Dog.speak(self) + " (age %d)" % self.age
a = Animal("generic")
d = Dog("rex")
p = Puppy("bit", 1)
print(a.speak())
print(d.speak())
print(p.speak())
print(d.kind(), p.kind())
print(isinstance(p, Animal), isinstance(p, Dog), isinstance(d, Puppy))
print(issubclass(Puppy, Animal), issubclass(Animal, Puppy), issubclass(Dog, Dog))
print([c.__name__ for c in Puppy.__mro__])
print(Puppy.__bases__[0].__name__, Animal.__bases__[0].__name__)
class Base:
    def template(self):
        return "[" + self.hook() + "]"
    def hook(self):
        return "base"
class Derived(Base):
    def hook(self):
        return "derived"
print(Base().template(), Derived().template())
Animal.sound = "changed"
print(a.speak(), d.speak())
class NoInit(Animal):
    pass
print(NoInit("n").name)
try:
    NoInit()
except TypeError as e:
    print(e)
print(type(p).__name__, p.__class__.__name__, p.__class__.__bases__[0].__name__)
print(object in Puppy.__mro__, len(Puppy.__mro__))
