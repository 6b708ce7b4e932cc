# richards: Martin Richards' operating-system simulation (task scheduler, packet queues, method dispatch).
# usage: richards.py [--threads N] [--quick | --validate] [iterations]   each iteration is checked: 23246 packets queued and 9297 holds.
import sys

import harness

I_IDLE, I_WORK, I_HANDLER_A, I_HANDLER_B, I_DEV_A, I_DEV_B = 1, 2, 3, 4, 5, 6
K_DEV, K_WORK = 1000, 1001
BUFSIZE = 4
PKT_BIT, WAIT_BIT, HOLD_BIT = 1, 2, 4
EXPECTED_QPKT, EXPECTED_HOLD = 23246, 9297


class Packet:
    def __init__(self, link, ident, kind):
        self.link = link
        self.ident = ident
        self.kind = kind
        self.datum = 0
        self.data = [0] * BUFSIZE

    def append_to(self, queue):
        # appends self at the end of queue (a linked list) and returns the head
        self.link = None
        if queue is None:
            return self
        last = queue
        while last.link is not None:
            last = last.link
        last.link = self
        return queue


class Task:
    def __init__(self, sched, ident, pri, queue, state):
        self.sched = sched
        self.ident = ident
        self.pri = pri
        self.queue = queue
        self.state = state
        self.link = sched.tasks
        sched.tasks = self
        sched.table[ident] = self

    def blocked(self):
        return self.state & HOLD_BIT or self.state == WAIT_BIT

    def take_packet(self):
        if self.state == PKT_BIT | WAIT_BIT:
            pkt = self.queue
            self.queue = pkt.link
            self.state = 0 if self.queue is None else PKT_BIT
            return pkt
        return None

    def add_packet(self, pkt, current):
        if self.queue is None:
            self.queue = pkt
            self.state |= PKT_BIT
            if self.pri > current.pri:
                return self
        else:
            self.queue = pkt.append_to(self.queue)
        return current


class IdleTask(Task):
    def __init__(self, sched, ident, pri, count):
        Task.__init__(self, sched, ident, pri, None, 0)
        self.v1 = 1
        self.count = count

    def run(self, pkt):
        self.count -= 1
        if self.count == 0:
            return self.sched.hold_self()
        if self.v1 & 1 == 0:
            self.v1 >>= 1
            return self.sched.release(I_DEV_A)
        self.v1 = (self.v1 >> 1) ^ 0xD008
        return self.sched.release(I_DEV_B)


class WorkTask(Task):
    def __init__(self, sched, ident, pri, queue):
        Task.__init__(self, sched, ident, pri, queue, PKT_BIT | WAIT_BIT)
        self.dest = I_HANDLER_A
        self.letter = 0

    def run(self, pkt):
        if pkt is None:
            return self.sched.wait()
        self.dest = I_HANDLER_A + I_HANDLER_B - self.dest
        pkt.ident = self.dest
        pkt.datum = 0
        for i in range(BUFSIZE):
            self.letter += 1
            if self.letter > 26:
                self.letter = 1
            pkt.data[i] = self.letter
        return self.sched.queue_packet(pkt)


class HandlerTask(Task):
    def __init__(self, sched, ident, pri, queue):
        Task.__init__(self, sched, ident, pri, queue, PKT_BIT | WAIT_BIT)
        self.work = None
        self.devices = None

    def run(self, pkt):
        if pkt is not None:
            if pkt.kind == K_WORK:
                self.work = pkt.append_to(self.work)
            else:
                self.devices = pkt.append_to(self.devices)
        work = self.work
        if work is not None:
            count = work.datum
            if count >= BUFSIZE:
                self.work = work.link
                return self.sched.queue_packet(work)
            dev = self.devices
            if dev is not None:
                self.devices = dev.link
                dev.datum = work.data[count]
                work.datum = count + 1
                return self.sched.queue_packet(dev)
        return self.sched.wait()


class DeviceTask(Task):
    def __init__(self, sched, ident, pri):
        Task.__init__(self, sched, ident, pri, None, WAIT_BIT)
        self.pending = None

    def run(self, pkt):
        if pkt is None:
            pkt = self.pending
            if pkt is None:
                return self.sched.wait()
            self.pending = None
            return self.sched.queue_packet(pkt)
        self.pending = pkt
        return self.sched.hold_self()


class Scheduler:
    def __init__(self):
        self.tasks = None
        self.table = {}
        self.current = None
        self.qpkt_count = 0
        self.hold_count = 0

    def hold_self(self):
        self.hold_count += 1
        self.current.state |= HOLD_BIT
        return self.current.link

    def release(self, ident):
        t = self.table[ident]
        t.state &= ~HOLD_BIT
        return t if t.pri > self.current.pri else self.current

    def wait(self):
        self.current.state |= WAIT_BIT
        return self.current

    def queue_packet(self, pkt):
        t = self.table[pkt.ident]
        self.qpkt_count += 1
        pkt.link = None
        pkt.ident = self.current.ident
        return t.add_packet(pkt, self.current)

    def schedule(self):
        t = self.tasks
        while t is not None:
            if t.blocked():
                t = t.link
            else:
                pkt = t.take_packet()
                self.current = t
                t = t.run(pkt)


def run_once():
    s = Scheduler()
    IdleTask(s, I_IDLE, 0, 10000)
    wq = Packet(None, 0, K_WORK)
    wq = Packet(wq, 0, K_WORK)
    WorkTask(s, I_WORK, 1000, wq)
    for ident, dev, pri in ((I_HANDLER_A, I_DEV_A, 2000), (I_HANDLER_B, I_DEV_B, 3000)):
        q = None
        for _ in range(3):
            q = Packet(q, dev, K_DEV)
        HandlerTask(s, ident, pri, q)
    DeviceTask(s, I_DEV_A, 4000)
    DeviceTask(s, I_DEV_B, 5000)
    s.schedule()
    return s.qpkt_count, s.hold_count


def schedule(iterations):
    total = 0
    q = h = 0
    for _ in range(iterations):
        q, h = run_once()
        if (q, h) != (EXPECTED_QPKT, EXPECTED_HOLD):
            print("richards: wrong result", q, h)
            sys.exit(1)
        total += q + h
    return q, h, total


def main():
    (iterations,), threads = harness.parse([40], quick=[5], validate=[1])
    q, h, total = harness.replicate(threads, schedule, iterations)
    print("richards iterations=%d qpkt=%d hold=%d total=%d" % (iterations, q, h, total))


main()
