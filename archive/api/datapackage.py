"""placeholder"""


def view(request):
    raise NotImplementedError
