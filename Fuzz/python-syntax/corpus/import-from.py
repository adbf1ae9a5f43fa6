from os.path import join as pjoin, exists
from . import sibling
from ..pkg.mod import (a,
                       b as c)
import numpy.linalg as la, sys
