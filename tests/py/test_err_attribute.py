# uncaught AttributeError on an instance, with a "Did you mean" suggestion (last stderr line compared)
class Account:
    def __init__(self, owner, balance):
        self.owner = owner
        self.balance = balance
    def deposit(self, v):
        self.balance += v
        return self.balance
acc = Account("ann", 100)
print(acc.owner, acc.balance)
print(acc.deposit(50))
print(acc.deposit(25))
print(hasattr(acc, "balance"), hasattr(acc, "balanse"))
print(getattr(acc, "owner"))
print(sorted(vars(acc)))
print(getattr(acc, "missing", "default"))
print(type(acc).__name__)
print("now the typo")
print(acc.balanse)
print("never")
