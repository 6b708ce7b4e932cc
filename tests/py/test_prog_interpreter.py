# small program: a tokenizer + recursive-descent parser + evaluator for arithmetic with variables
def tokenize(src):
    toks, i = [], 0
    while i < len(src):
        c = src[i]
        if c.isspace():
            i += 1
        elif c.isdigit():
            j = i
            while j < len(src) and (src[j].isdigit() or src[j] == "."):
                j += 1
            toks.append(("num", float(src[i:j]) if "." in src[i:j] else int(src[i:j])))
            i = j
        elif c.isalpha():
            j = i
            while j < len(src) and src[j].isalnum():
                j += 1
            toks.append(("name", src[i:j]))
            i = j
        elif c in "+-*/()=^":
            toks.append(("op", c))
            i += 1
        else:
            raise SyntaxError("bad character %r" % c)
    return toks
class Parser:
    def __init__(self, toks, env):
        self.toks, self.pos, self.env = toks, 0, env
    def peek(self):
        return self.toks[self.pos] if self.pos < len(self.toks) else ("end", None)
    def take(self):
        t = self.peek()
        self.pos += 1
        return t
    def expr(self):
        v = self.term()
        while self.peek() in (("op", "+"), ("op", "-")):
            op = self.take()[1]
            v = v + self.term() if op == "+" else v - self.term()
        return v
    def term(self):
        v = self.factor()
        while self.peek() in (("op", "*"), ("op", "/")):
            op = self.take()[1]
            r = self.factor()
            v = v * r if op == "*" else v / r
        return v
    def factor(self):
        base = self.unary()
        if self.peek() == ("op", "^"):
            self.take()
            return base ** self.factor()
        return base
    def unary(self):
        if self.peek() == ("op", "-"):
            self.take()
            return -self.unary()
        kind, val = self.take()
        if kind == "num":
            return val
        if kind == "name":
            if val not in self.env:
                raise NameError("undefined variable " + val)
            return self.env[val]
        if (kind, val) == ("op", "("):
            v = self.expr()
            if self.take() != ("op", ")"):
                raise SyntaxError("expected )")
            return v
        raise SyntaxError("unexpected %r" % (val,))
def run(line, env):
    toks = tokenize(line)
    if len(toks) > 2 and toks[1] == ("op", "="):
        env[toks[0][1]] = Parser(toks[2:], env).expr()
        return toks[0][1] + " = " + repr(env[toks[0][1]])
    return repr(Parser(toks, env).expr())
env = {}
for line in ["1 + 2 * 3", "(1 + 2) * 3", "2 ^ 3 ^ 2", "-2 ^ 2", "x = 10", "y = x / 4", "x * y - 1",
             "7 / 2", "2 ^ 100", "1.5 * 4", "z + 1", "3 $ 4", "(1 + 2", "10 / (5 - 5)"]:
    try:
        print(line, "=>", run(line, env))
    except (SyntaxError, NameError, ZeroDivisionError) as e:
        print(line, "=>", type(e).__name__, e)
print(sorted(env.items()))
