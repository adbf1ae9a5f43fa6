@dataclass(frozen=True)
class Point(Base, metaclass=Meta):
    x: int = 0
    y: int = 0

    @property
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5

    @staticmethod
    def origin():
        return Point()
