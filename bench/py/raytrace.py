# raytrace: a small ray tracer: vector class with operator overloading, spheres and a checkered plane,
# diffuse and specular shading, shadows and reflections; prints a digest of the rendered pixels.
# usage: raytrace.py [--threads N] [--quick | --validate] [width]   (the image is width x width*3/4)
import math
import sys

import harness

EPSILON = 1e-6
MAX_DEPTH = 3


class Vec:
    __slots__ = ("x", "y", "z")

    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z

    def __add__(self, o):
        return Vec(self.x + o.x, self.y + o.y, self.z + o.z)

    def __sub__(self, o):
        return Vec(self.x - o.x, self.y - o.y, self.z - o.z)

    def __mul__(self, k):
        return Vec(self.x * k, self.y * k, self.z * k)

    __rmul__ = __mul__

    def dot(self, o):
        return self.x * o.x + self.y * o.y + self.z * o.z

    def length(self):
        return math.sqrt(self.dot(self))

    def normalized(self):
        n = self.length()
        return Vec(self.x / n, self.y / n, self.z / n)

    def times(self, o):
        return Vec(self.x * o.x, self.y * o.y, self.z * o.z)

    def reflect(self, normal):
        return self - normal * (2 * self.dot(normal))


class Ray:
    __slots__ = ("origin", "direction")

    def __init__(self, origin, direction):
        self.origin = origin
        self.direction = direction.normalized()

    def at(self, t):
        return self.origin + self.direction * t


class Sphere:
    def __init__(self, center, radius, color, reflect):
        self.center = center
        self.radius = radius
        self.color = color
        self.reflect = reflect

    def intersect(self, ray):
        oc = ray.origin - self.center
        b = oc.dot(ray.direction)
        c = oc.dot(oc) - self.radius * self.radius
        disc = b * b - c
        if disc < 0:
            return None
        root = math.sqrt(disc)
        t = -b - root
        if t > EPSILON:
            return t
        t = -b + root
        return t if t > EPSILON else None

    def normal_at(self, p):
        return (p - self.center).normalized()

    def color_at(self, p):
        return self.color


class Plane:
    def __init__(self, point, normal, reflect):
        self.point = point
        self.normal = normal.normalized()
        self.reflect = reflect

    def intersect(self, ray):
        denom = self.normal.dot(ray.direction)
        if abs(denom) < EPSILON:
            return None
        t = (self.point - ray.origin).dot(self.normal) / denom
        return t if t > EPSILON else None

    def normal_at(self, p):
        return self.normal

    def color_at(self, p):
        if (math.floor(p.x) + math.floor(p.z)) % 2 == 0:
            return Vec(0.9, 0.9, 0.9)
        return Vec(0.1, 0.1, 0.1)


class Scene:
    def __init__(self):
        self.objects = [
            Sphere(Vec(0.0, 1.0, 5.0), 1.0, Vec(0.9, 0.2, 0.2), 0.3),
            Sphere(Vec(-2.2, 0.7, 6.5), 0.7, Vec(0.2, 0.9, 0.3), 0.2),
            Sphere(Vec(2.0, 1.5, 7.0), 1.5, Vec(0.3, 0.4, 0.95), 0.5),
            Sphere(Vec(0.8, 0.3, 3.5), 0.3, Vec(0.95, 0.9, 0.2), 0.1),
            Plane(Vec(0.0, 0.0, 0.0), Vec(0.0, 1.0, 0.0), 0.25),
        ]
        self.lights = [(Vec(-5.0, 8.0, -2.0), 0.8), (Vec(6.0, 5.0, 1.0), 0.5)]
        self.ambient = 0.08

    def nearest(self, ray):
        best_t = None
        best = None
        for obj in self.objects:
            t = obj.intersect(ray)
            if t is not None and (best_t is None or t < best_t):
                best_t, best = t, obj
        return best, best_t

    def shadowed(self, point, light_pos):
        to_light = light_pos - point
        dist = to_light.length()
        obj, t = self.nearest(Ray(point, to_light))
        return obj is not None and t < dist

    def trace(self, ray, depth):
        obj, t = self.nearest(ray)
        if obj is None:
            k = 0.5 * (ray.direction.y + 1.0)
            return Vec(0.6, 0.75, 1.0) * k + Vec(1.0, 1.0, 1.0) * (1.0 - k)
        p = ray.at(t)
        n = obj.normal_at(p)
        base = obj.color_at(p)
        color = base * self.ambient
        for light_pos, intensity in self.lights:
            if self.shadowed(p, light_pos):
                continue
            l = (light_pos - p).normalized()
            diffuse = n.dot(l)
            if diffuse > 0:
                color = color + base * (diffuse * intensity)
                spec = l.reflect(n).dot(ray.direction)
                if spec > 0:
                    s = intensity * spec ** 20
                    color = color + Vec(s, s, s)
        if depth < MAX_DEPTH and obj.reflect > 0:
            bounced = self.trace(Ray(p, ray.direction.reflect(n)), depth + 1)
            color = color * (1 - obj.reflect) + bounced * obj.reflect
        return color


def render(width, height):
    scene = Scene()
    eye = Vec(0.0, 1.6, -1.0)
    pixels = []
    aspect = width / height
    for j in range(height):
        y = (1.0 - 2.0 * (j + 0.5) / height) * 0.75
        row = []
        for i in range(width):
            x = (2.0 * (i + 0.5) / width - 1.0) * aspect * 0.75
            c = scene.trace(Ray(eye, Vec(x, y - 0.25, 1.0)), 0)
            row.append(tuple(min(255, max(0, int(v * 255.0))) for v in (c.x, c.y, c.z)))
        pixels.append(row)
    return pixels


def main():
    (width,), threads = harness.parse([280], quick=[88], validate=[60])
    height = width * 3 // 4
    pixels = harness.replicate(threads, render, width, height)
    digest = 0
    total = [0, 0, 0]
    for row in pixels:
        for r, g, b in row:
            digest = (digest * 1000003 + r * 65536 + g * 256 + b) % 2305843009213693951
            total[0] += r
            total[1] += g
            total[2] += b
    print("raytrace %dx%d digest %d sum %d %d %d" % (width, height, digest, total[0], total[1], total[2]))
    shades = " .:-=+*#%@"
    for row in pixels[::height // 12]:
        print("".join(shades[(r + g + b) * 10 // 766] for r, g, b in row[::width // 60]))


main()
