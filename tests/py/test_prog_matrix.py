# small program: a Matrix class with operator overloading, determinant, transpose, identity, power by squaring
class Matrix:
    def __init__(self, rows):
        self.rows = [list(r) for r in rows]
        self.n = len(rows)
        self.m = len(rows[0]) if rows else 0
    @classmethod
    def identity(cls, n):
        return cls([[1 if i == j else 0 for j in range(n)] for i in range(n)])
    def __add__(self, o):
        return Matrix([[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(self.rows, o.rows)])
    def __mul__(self, o):
        if isinstance(o, Matrix):
            cols = list(zip(*o.rows))
            return Matrix([[sum(a * b for a, b in zip(r, c)) for c in cols] for r in self.rows])
        return Matrix([[a * o for a in r] for r in self.rows])
    __rmul__ = __mul__
    def __pow__(self, k):
        result = Matrix.identity(self.n)
        base = self
        while k:
            if k & 1:
                result = result * base
            base = base * base
            k >>= 1
        return result
    def __eq__(self, o):
        return isinstance(o, Matrix) and self.rows == o.rows
    def T(self):
        return Matrix(list(zip(*self.rows)))
    def det(self):
        if self.n == 1:
            return self.rows[0][0]
        if self.n == 2:
            (a, b), (c, d) = self.rows
            return a * d - b * c
        total = 0
        for j in range(self.m):
            minor = Matrix([r[:j] + r[j + 1:] for r in self.rows[1:]])
            total += (-1) ** j * self.rows[0][j] * minor.det()
        return total
    def __repr__(self):
        return "Matrix(%r)" % (self.rows,)
A = Matrix([[1, 2], [3, 4]])
B = Matrix([[0, 1], [1, 0]])
print(A + B, A * B, B * A, 2 * A, A * 3)
print(A.T(), A.det(), (A * B).det() == A.det() * B.det())
F = Matrix([[1, 1], [1, 0]])
print((F ** 10).rows[0][1], (F ** 90).rows[0][1])
M = Matrix([[2, -3, 1], [2, 0, -1], [1, 4, 5]])
print(M.det(), M.T().det(), (M * M).det())
print(Matrix.identity(3), Matrix.identity(2) * A == A)
print(A ** 0 == Matrix.identity(2), A ** 5)
print(A == Matrix([[1, 2], [3, 4]]), A != B)
H = Matrix([[1 / (i + j + 1) for j in range(3)] for i in range(3)])
print(round(H.det(), 12))
