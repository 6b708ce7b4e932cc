# time: calendar time — gmtime/localtime and struct_time (fields, indexing,
# repr, tm_zone/tm_gmtoff), mktime round trips, strftime, asctime, ctime,
# the zone constants, and their errors.
import time

t = time.gmtime(0)
print(t)
print(t.tm_year, t.tm_mon, t.tm_mday, t.tm_wday, t.tm_yday, t[0], t[-1], len(t), t[:3])
print(isinstance(t, tuple), type(t).__name__, t.tm_zone, t.tm_gmtoff)
print(time.gmtime(1234567890))
print(time.gmtime(1.99)[5], time.gmtime(-1.5)[:6], time.gmtime(951782400)[:3])
print(tuple(time.gmtime(86400 * 366 + 3661)))

now = time.time()
lt = time.localtime(now)
print(abs(time.mktime(lt) - int(now)) <= 1, lt.tm_isdst in (0, 1), isinstance(lt.tm_zone, str))
print(time.mktime(time.localtime(1000000)))
print(time.localtime()[0] >= 2024)

print(time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(1234567890)))
print(time.strftime('%a %A %b %B %j %w %y %%', time.gmtime(1234567890)))
print(time.strftime('%Y', (2020, 1, 2, 3, 4, 5, 6, 7, 0)), time.strftime(''))
print(time.strftime('%a %b %d', (2020, 0, 0, 0, 0, 0, 0, 0, 0)))
print(len(time.strftime('%H:%M')) == 5)
print(time.asctime(time.gmtime(0)), '|', time.asctime((2021, 12, 5, 9, 8, 7, 6, 339, 0)))
print(time.ctime(0) == time.asctime(time.localtime(0)), len(time.ctime()) == 24)

st = time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0))
print(st, st.tm_zone)
print(time.struct_time((2020, 1, 2, 3, 4, 5, 6, 7, 0, 'UTC', 0)).tm_zone)
print(isinstance(time.timezone, int), isinstance(time.altzone, int), time.daylight in (0, 1))
print(type(time.tzname).__name__, len(time.tzname))

def show(f, *args):
    try:
        print(f(*args))
    except (TypeError, ValueError, OverflowError) as e:
        print(type(e).__name__, e)

show(time.gmtime, 'x')
show(time.strftime, 1)
show(time.strftime, '%Y', (1, 2))
show(time.strftime, '%Y', 'abc')
show(time.strftime, '%Y', (2020, 13, 1, 0, 0, 0, 0, 1, 0))
show(time.strftime, '%Y', (2020, 1, 1, 24, 0, 0, 0, 1, 0))
show(time.struct_time, (1, 2))
show(time.struct_time, tuple(range(12)))
show(time.mktime, 5)
show(time.gmtime, 1, 2)
