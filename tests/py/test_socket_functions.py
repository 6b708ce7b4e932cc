# socket: module functions and constants — gethostname, getaddrinfo for
# numeric and localhost addresses (enum families), htons/ntohs/htonl/ntohl,
# inet_aton/inet_ntoa, gethostbyname, the AF_/SOCK_/SOL_/SHUT_ values.
import socket

print(socket.AF_INET, socket.AF_INET6, socket.SOCK_STREAM, socket.SOCK_DGRAM)
print(socket.SOL_SOCKET, socket.SO_REUSEADDR, socket.IPPROTO_TCP, socket.TCP_NODELAY)
print(socket.SHUT_RD, socket.SHUT_WR, socket.SHUT_RDWR, socket.AF_UNIX)
print(repr(socket.AF_INET6), repr(socket.SOCK_STREAM), f'{socket.AF_INET}', str(socket.AF_INET))
print(socket.AF_INET == 2, socket.AF_INET + 0, isinstance(socket.AF_INET, int))
print(socket.AF_INET.name, socket.SOCK_DGRAM.value)

name = socket.gethostname()
print(isinstance(name, str), len(name) > 0)
print(socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET, socket.SOCK_STREAM))
print(socket.getaddrinfo('::1', 8080, socket.AF_INET6, socket.SOCK_DGRAM))
print(socket.getaddrinfo('localhost', 80, socket.AF_INET, socket.SOCK_STREAM))
print(socket.getaddrinfo(None, 0, socket.AF_INET, socket.SOCK_STREAM, 0, socket.AI_PASSIVE))
print(socket.getaddrinfo('127.0.0.1', '443', socket.AF_INET, socket.SOCK_STREAM)[0][4])
print(socket.gethostbyname('127.0.0.1'), socket.gethostbyname('localhost'))

print(socket.htons(1), socket.ntohs(256), socket.htons(0x1234) == 0x3412)
print(socket.htonl(1), socket.ntohl(16777216))
for bad in (-1, 70000):
    try:
        socket.htons(bad)
    except OverflowError as e:
        print('OverflowError', e)
print(socket.inet_aton('127.0.0.1'), socket.inet_ntoa(b'\x7f\x00\x00\x01'))
print(socket.inet_aton('10.1'), socket.inet_ntoa(bytes([192, 168, 1, 254])))
try:
    socket.inet_aton('not an ip')
except OSError as e:
    print('OSError', e)
print(socket.SocketType is socket.socket.__mro__[1], socket.has_ipv6)
