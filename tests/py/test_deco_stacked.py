# stacked decorators: application order (bottom-up), property/staticmethod/classmethod combined with user ones
order = []
def mark(label):
    def deco(fn):
        order.append("apply " + label)
        def wrapper(*a):
            return label + "(" + fn(*a) + ")"
        return wrapper
    return deco
@mark("outer")
@mark("middle")
@mark("inner")
def base():
    return "x"
print(order)
print(base())
def bold(fn):
    return lambda *a: "<b>" + fn(*a) + "</b>"
def italic(fn):
    return lambda *a: "<i>" + fn(*a) + "</i>"
@bold
@italic
def text(s):
    return s
print(text("hi"))
@italic
@bold
def text2(s):
    return s
print(text2("hi"))
def log_calls(fn):
    def wrapper(*a, **k):
        print("calling", fn.__name__)
        return fn(*a, **k)
    wrapper.__name__ = fn.__name__
    return wrapper
class Account:
    rate = 0.5
    def __init__(self, bal):
        self._bal = bal
    @property
    @log_calls
    def balance(self):
        return self._bal
    @staticmethod
    @log_calls
    def helper(x):
        return x + 1
    @classmethod
    @log_calls
    def make(cls):
        return cls(10)
acc = Account.make()
print(acc.balance)
print(Account.helper(1))
def double_result(fn):
    return lambda *a: fn(*a) * 2
@double_result
@double_result
@double_result
def one():
    return 1
print(one())
