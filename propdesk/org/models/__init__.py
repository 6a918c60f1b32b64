from .imports import ImportJob, ImportStatus
from .org import Branch, Company, Department, Project
from .property import Building, CommonArea, Room, Unit, room_code

__all__ = ["Branch", "Building", "CommonArea", "Company", "Department", "ImportJob", "ImportStatus", "Project", "Room",
           "Unit", "room_code"]
