from .org import Branch, Company, Department, Project
from .property import Building, CommonArea, Room, Unit, room_code

__all__ = ["Branch", "Building", "CommonArea", "Company", "Department", "Project", "Room", "Unit", "room_code"]
