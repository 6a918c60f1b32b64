"""Planning one request: who reported what, where, its deadlines, and the answer the desk gave."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from propdesk.console.demo.history.plans import RequestPlan, _People, _Skeleton, _Staff, _Steps
from propdesk.console.demo.history.spec import DAY, HOUR, TZ
from propdesk.console.demo.history.subjects import CLN, COMPLAINT_NOTES, EMOTIONS, SEC, E, Subject
from propdesk.console.demo.plan import OccupancyPlan
from propdesk.servicedesk.rules import numbers, sla


class _RequestPlanning:
    """Part of ``_Planner``: one request and its answer."""

    # -- one request -------------------------------------------------------------------------------------------

    def _request(self, sk: _Skeleton) -> RequestPlan:
        rng = self.rng
        staff, people, pp = self.staff[sk.project], self.people[sk.project], self.plan.projects[sk.project]
        t0 = sk.received_at
        staff_found = sk.channel in ("patrol", "staff")
        pool, cum = self.subjects[(sk.kind, staff_found, t0.month - 1)]
        subject = self.pick(pool, cum)
        reporter_occupancy = None
        if not staff_found:
            reporter_occupancy = self._reporter(people, sk.kind, t0.date())
            for _retry in range(4):  # no lift or stairwell in a town house
                if not (reporter_occupancy.room.room_type == "villa"
                        and subject.where in ("elevator", "stairwell", "unit_door")):
                    break
                subject = self.pick(pool, cum)
        day = t0.date()
        number = self.last_numbers.get((staff.code, day), 0) + 1
        self.last_numbers[(staff.code, day)] = number
        names = self.names = {"tech": staff.names[rng.choice(staff.members[E])],
                              "security": staff.names[staff.members[SEC][0]],
                              "cleaning": staff.names[staff.members[CLN][0]],
                              "steward": staff.names[rng.choice(staff.stewards)],
                              "agent": staff.names[rng.choice(staff.agents)]}
        description = rng.choice(subject.texts).format(**names)
        if sk.channel == "patrol":
            created_by = rng.choice(staff.stewards + staff.members[SEC])
        elif sk.channel == "staff":
            created_by = rng.choice(staff.members[E] + staff.members[SEC] + staff.members[CLN] + staff.stewards)
        else:
            created_by = self.desk(staff, t0)
        r = RequestPlan(project=staff.code, branch=staff.branch,
                        number=numbers.request_number(staff.prefix, day, number), kind=sk.kind,
                        channel=sk.channel, subject=subject, received_at=t0, created_by=created_by,
                        contact_name="", contact_phone="", description=description)
        if reporter_occupancy is not None:
            person = reporter_occupancy.person
            r.reporter, r.room = person, reporter_occupancy.room
            r.contact_name = person.name
            phones = [number for number, _kind, _label in person.phones]
            r.contact_phone = phones[1] if len(phones) > 1 and rng.random() < 0.15 else phones[0]
            emotions = EMOTIONS["complaint" if sk.kind == "complaint" else "urgent" if subject.urgent
                                else "praise" if sk.kind == "praise" else ""]
            r.emotion = self.weighted(emotions)
        else:
            r.contact_name, r.contact_phone = staff.names[created_by], staff.mobiles[created_by]
        self._locate(r, subject, people, pp)
        if sk.kind == "complaint":
            r.complaint_category = subject.category
            r.severity = rng.choices(("major", "important", "minor"), weights=subject.severities)[0]
            r.complained_department = subject.complained
            r.complained_person = subject.person.format(**names)
        r.urgent = subject.urgent
        r.needs_written_reply = sk.channel == "letter"
        r.resident_request = subject.request if reporter_occupancy is not None and rng.random() < 0.6 else ""
        r.impact = subject.impact if rng.random() < 0.5 else ""
        r.cause = subject.cause if rng.random() < 0.4 else ""
        if sk.kind in ("repair", "complaint", "help") and rng.random() < 0.6:
            r.occurred_at = t0 - self.minutes(5, 240 if sk.kind != "complaint" else 2880)
        arrive_by = self._deadlines(r, sk)
        steps = _Steps()
        steps.add(t0, None, "created", created_by)
        if sk.kind == "complaint" and r.severity in ("major", "important"):
            steps.add(t0, None, "intake", None)
            if r.severity == "important":  # the project manager takes it, within the hour as a rule
                late_ack = rng.random() < 0.1
                steps.add(t0 + (self.minutes(65, 200) if late_ack else self.minutes(4, 50)), None, "ack", staff.pm)
            else:  # major: the branch leadership takes it into handling, well within its 2 hours
                steps.add(min(t0 + self.minutes(5, 80), r.respond_by or t0), None, "ack", staff.leader)
        if sk.kind == "complaint" and rng.random() < 0.5:
            steps.add(t0 + self.minutes(10, 90), None, "note", rng.choice([staff.pm, *staff.agents]),
                      text=rng.choice(COMPLAINT_NOTES))
        if subject.depts:
            self._work(r, sk, staff, steps, arrive_by)
        else:
            self._answer(r, staff, steps, self._answer_time(r, staff))
        self._replay(r, staff, steps)
        return r

    def _reporter(self, people: _People, kind: str, day: date) -> OccupancyPlan:
        cum = people.complaint if kind == "complaint" else people.help if kind == "help" else people.general
        for _attempt in range(30):
            o = self.pick(people.occupancies, cum)
            if o.start <= day and (o.end is None or day <= o.end) and o.person.registered_on <= day:
                return o
        return next(o for o in people.occupancies if o.start <= day and o.person.registered_on <= day)

    def _locate(self, r: RequestPlan, subject: Subject, people: _People, pp) -> None:
        rng = self.rng
        where = subject.where
        room = r.room or rng.choice(people.rooms)
        building, unit, _number = room.code.split("-") if room.code.count("-") == 2 else (room.code, "1", "")
        if where == "room":
            if r.room is None:
                r.location_note = f"{building}号楼{unit}单元"
            return
        r.room = None  # a place shared by everyone: the reporter stays the reporter
        if where == "elevator":
            lifts = people.elevators.get((building, unit))
            if lifts:
                r.area = rng.choice(lifts)
            elif r.reporter is None and people.area_kinds.get("elevator"):
                r.area = rng.choice(people.area_kinds["elevator"])
            else:
                r.location_note = f"{building}号楼{unit}单元电梯"
        elif where == "unit_door":
            if unit == "1" and building in people.lobbies:
                r.area = people.lobbies[building]
            else:
                r.location_note = f"{building}号楼{unit}单元门口"
        elif where == "stairwell":
            r.location_note = f"{building}号楼{unit}单元{room.floor}层楼道"
        elif where.startswith("kind:"):
            areas = people.area_kinds.get(where[5:])
            if areas:
                r.area = rng.choice(areas)
            else:
                r.location_note = "小区公共区域"
        elif where.startswith("name:"):
            area = people.area_names.get(where[5:])
            if area is not None:
                r.area = area
            else:
                r.location_note = where[5:]

    def _deadlines(self, r: RequestPlan, sk: _Skeleton) -> datetime | None:
        rng = self.rng
        t0 = r.received_at
        if r.kind == "repair" and not r.urgent and r.room is not None and rng.random() < 0.25:
            offset = 0 if t0.hour < 11 and rng.random() < 0.4 else rng.choice((1, 1, 2))
            hour = rng.choice((9, 10, 14, 15, 16, 19)) if offset else rng.choice((14, 15, 16))
            appointment = datetime.combine(t0.date() + timedelta(days=offset), time(hour), TZ)
            if appointment > t0 + HOUR:
                r.appointment_at = appointment
        if r.kind == "complaint" and r.severity == "minor" and rng.random() < 0.2:
            r.resident_deadline = datetime.combine(t0.date() + DAY, time(rng.choice((12, 18))), TZ)
        elif r.kind == "repair" and not r.urgent and t0.hour < 13 and rng.random() < 0.05 and not sk.stall:
            r.resident_deadline = datetime.combine(t0.date(), time(18), TZ)
        r.rule = sla.rule_key(r.kind, severity=r.severity or None, urgent=r.urgent)
        deadlines = sla.compute_deadlines(target=self.targets[r.rule], received_at=t0, calendar=self.calendar,
                                          resident_deadline=r.resident_deadline, appointment=r.appointment_at)
        r.respond_by, r.resolve_by = deadlines.respond_by, deadlines.resolve_by
        return deadlines.arrive_by  # not stored on the request: its work orders carry it

    # -- answers -----------------------------------------------------------------------------------------------

    def _answer_time(self, r: RequestPlan, staff: _Staff) -> datetime:
        """When a request without work orders is answered."""
        t0 = r.received_at
        if r.kind == "inquiry":
            if r.channel in ("phone", "hotline", "walk_in") and self.rng.random() < 0.93:
                return t0 + self.minutes(1, 12)  # answered on the spot
            later = self.on_duty(t0, (8, 30), (18, 0), 30) + self.lognorm(40, 0.9, 3, 360)
            if self.rng.random() < 0.07:
                later += timedelta(days=1)
            return self.on_duty(later, (8, 30), (18, 0), 30)
        if r.kind == "suggestion":
            return self.on_duty(t0 + timedelta(days=self.rng.uniform(1, 5.5)), (9, 0), (17, 30))
        if r.kind == "praise":
            return self.on_duty(self.on_duty(t0, (8, 30), (18, 0), 30) + self.minutes(20, 360), (8, 30), (18, 0))
        return self.on_duty(t0 + self.minutes(120, 2400), (8, 30), (20, 0))  # complaints the manager settles

    def _answer(self, r: RequestPlan, staff: _Staff, steps: _Steps, at: datetime) -> None:
        rng = self.rng
        subject = r.subject
        names = self.names  # the staff this request's texts name
        valid, root_cause = None, ""
        if r.kind == "complaint":
            valid = rng.random() < subject.valid
            root_cause = rng.choice(subject.causes if valid else subject.invalid)
            if subject.depts:
                text = (f"您反映的{subject.key}问题已处理：{subject.results[0]}。"
                        if valid else f"经核实，{root_cause}，已向您说明情况。")
            else:
                text = (f"经调查，{root_cause}。我们已制定整改措施并跟进落实，感谢您的监督。"
                        if valid else f"经核实，{root_cause}。已向您解释说明，感谢您的理解。")
            actor = staff.pm if r.severity in ("major", "important") or not subject.depts else self.desk(staff, at)
        elif subject.depts:
            pending = [s for s in steps.items if s[3] == "complete"]
            result = pending[-1][5]["result"] if pending else subject.results[0]
            if pending:
                text = f"您反映的{subject.key}已处理完毕：{result}。如有问题请随时联系客服中心。"
            else:
                text = "已与您确认撤销本次报事，如有需要请随时联系客服中心。"
            if r.channel in ("patrol", "staff"):
                text = f"{subject.key}已整改完毕：{result}。" if pending else "报事已撤销。"
            actor = self.desk(staff, at)
        else:
            text = rng.choice(subject.results).format(**names)
            if r.kind == "inquiry":
                text = f"已答复：{text}。"
            elif r.kind == "praise":
                text = f"感谢您的表扬，{text}。"
            else:
                text = f"感谢您的建议，{text}。"
            actor = staff.pm if r.kind == "suggestion" and rng.random() < 0.5 else self.desk(staff, at)
        written = r.needs_written_reply and rng.random() < 0.9
        if written:
            text = f"尊敬的住户：您好！{text}特此回复。"
        steps.add(at, None, "reply", actor, text=text, written=written, valid=valid, root_cause=root_cause)
