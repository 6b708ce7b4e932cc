# os: process facts and constants (getpid, getppid, cpu_count, name, sep,
# linesep, ...), strerror, urandom, and the environment mapping.
import os

print(os.name, repr(os.sep), repr(os.linesep), os.curdir, os.pardir, os.pathsep, os.devnull)
print(os.getpid() > 0, os.getppid() > 0, os.getpid() != os.getppid())
print(isinstance(os.cpu_count(), int), os.cpu_count() >= 1)
print(os.strerror(2), '|', os.strerror(13), '|', os.strerror(111))
b = os.urandom(16)
print(type(b).__name__, len(b), len(os.urandom(0)))
print(os.error is OSError)
la = os.getloadavg()
print(len(la), all(isinstance(x, float) and x >= 0 for x in la))

env = os.environ
print("PATH" in env, "NO_SUCH_VARIABLE_FTPY" in env)
print(env.get('NO_SUCH_VARIABLE_FTPY'), env.get('NO_SUCH_VARIABLE_FTPY', 'dflt'))
print(os.getenv('NO_SUCH_VARIABLE_FTPY'), os.getenv('NO_SUCH_VARIABLE_FTPY', 'd2'))
print(os.getenv('PATH') == env['PATH'], isinstance(env['PATH'], str))
try:
    env['NO_SUCH_VARIABLE_FTPY']
except KeyError as e:
    print('KeyError', e)
env['FTPY_TEST_VAR'] = 'value 1'
print(env['FTPY_TEST_VAR'], os.getenv('FTPY_TEST_VAR'), 'FTPY_TEST_VAR' in env)
print('FTPY_TEST_VAR' in list(env), 'FTPY_TEST_VAR' in env.keys(), len(env) > 1)
del env['FTPY_TEST_VAR']
print('FTPY_TEST_VAR' in env, env.get('FTPY_TEST_VAR'))
for bad in (lambda: env.__setitem__(1, 'x'), lambda: env.__setitem__('K', 2),
            lambda: env.__delitem__('NO_SUCH_VARIABLE_FTPY'), lambda: 1 in env,
            lambda: env.get(2)):
    try:
        bad()
    except (TypeError, KeyError) as e:
        print(type(e).__name__, e)
