# go: a small Go engine on a 9x9 board: legal moves with captures, suicide and simple ko rules, random playouts
# that avoid filling their own eyes, area scoring, and a flat Monte-Carlo choice of the opening move.
# A linear congruential generator makes every game deterministic. usage: go.py [--threads N] [--quick | --validate] [playouts]
import sys

import harness

SIZE = 9
W = SIZE + 2
EMPTY, BLACK, WHITE, BORDER = 0, 1, 2, 3
KOMI = 7.5
DIRS = (1, -1, W, -W)


class Rng:
    def __init__(self, seed):
        self.state = seed

    def below(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFFFFFFFFFF
        return (self.state >> 33) % n


class Board:
    def __init__(self):
        self.cells = [BORDER] * (W * W)
        for r in range(1, SIZE + 1):
            for c in range(1, SIZE + 1):
                self.cells[r * W + c] = EMPTY
        self.points = [r * W + c for r in range(1, SIZE + 1) for c in range(1, SIZE + 1)]
        self.ko = None
        self.captures = [0, 0, 0]
        self.moves = 0

    def copy(self):
        b = Board.__new__(Board)
        b.cells = self.cells[:]
        b.points = self.points
        b.ko = self.ko
        b.captures = self.captures[:]
        b.moves = self.moves
        return b

    def group(self, p):
        color = self.cells[p]
        stones = [p]
        seen = {p}
        libs = set()
        i = 0
        while i < len(stones):
            q = stones[i]
            i += 1
            for d in DIRS:
                n = q + d
                v = self.cells[n]
                if v == EMPTY:
                    libs.add(n)
                elif v == color and n not in seen:
                    seen.add(n)
                    stones.append(n)
        return stones, libs

    def is_eye(self, p, color):
        for d in DIRS:
            v = self.cells[p + d]
            if v != color and v != BORDER:
                return False
        return True

    def play(self, p, color):
        # returns False (and leaves the board unchanged) for an illegal move
        if self.cells[p] != EMPTY or p == self.ko:
            return False
        other = 3 - color
        self.cells[p] = color
        captured = []
        for d in DIRS:
            n = p + d
            if self.cells[n] == other:
                stones, libs = self.group(n)
                if not libs:
                    captured.extend(stones)
                    for s in stones:
                        self.cells[s] = EMPTY
        stones, libs = self.group(p)
        if not libs:
            self.cells[p] = EMPTY
            for s in captured:
                self.cells[s] = other
            return False
        self.ko = captured[0] if len(captured) == 1 and len(stones) == 1 and len(libs) == 1 else None
        self.captures[color] += len(captured)
        self.moves += 1
        return True

    def score(self):
        black = white = 0
        for p in self.points:
            v = self.cells[p]
            if v == BLACK:
                black += 1
            elif v == WHITE:
                white += 1
            else:
                near = {self.cells[p + d] for d in DIRS} - {BORDER, EMPTY}
                if near == {BLACK}:
                    black += 1
                elif near == {WHITE}:
                    white += 1
        return black - white - KOMI


def playout(board, color, rng):
    passes = 0
    limit = 3 * SIZE * SIZE
    while passes < 2 and board.moves < limit:
        empties = [p for p in board.points if board.cells[p] == EMPTY]
        played = False
        while empties:
            k = rng.below(len(empties))
            p = empties[k]
            empties[k] = empties[-1]
            empties.pop()
            if not board.is_eye(p, color) and board.play(p, color):
                played = True
                break
        passes = 0 if played else passes + 1
        color = 3 - color
    return board.score()


def best_opening(rng, per_move):
    candidates = [W * r + c for r, c in ((5, 5), (3, 3), (3, 7), (7, 3), (5, 3), (1, 1))]
    results = []
    for p in candidates:
        wins = 0
        for _ in range(per_move):
            b = Board()
            b.play(p, BLACK)
            if playout(b, WHITE, rng) > 0:
                wins += 1
        results.append((wins, -p))
    wins, p = max(results)
    return -p, wins


def play(games):
    rng = Rng(12345)
    black_wins = 0
    moves = 0
    margin = 0.0
    caps = 0
    for _ in range(games):
        b = Board()
        s = playout(b, BLACK, rng)
        black_wins += s > 0
        moves += b.moves
        margin += s
        caps += b.captures[BLACK] + b.captures[WHITE]
    p, wins = best_opening(rng, max(1, games // 20))
    return black_wins, moves, margin, caps, p, wins


def main():
    (games,), threads = harness.parse([150], quick=[10], validate=[2])
    black_wins, moves, margin, caps, p, wins = harness.replicate(threads, play, games)
    print("go playouts=%d black_wins=%d moves=%d margin=%.1f captures=%d opening=%d,%d wins=%d"
          % (games, black_wins, moves, margin, caps, p // W, p % W, wins))


main()
