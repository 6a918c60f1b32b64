"""What residents report: subjects by kind with their texts, places, departments and results, and how often by season,
day, hour and channel."""

from __future__ import annotations

from dataclasses import dataclass

# --- what residents report ----------------------------------------------------------------------------------------

# Month multipliers (January first) for subjects that come with the season.
SEASONS = {
    "": (1.0,) * 12,
    "summer": (0.3, 0.3, 0.5, 0.8, 1.4, 2.3, 3.0, 3.0, 2.0, 0.9, 0.4, 0.3),  # air conditioners, mosquitoes, rubbish
    "rainy": (0.5, 0.6, 0.9, 1.1, 1.4, 2.7, 2.4, 1.8, 1.3, 0.8, 0.6, 0.5),  # 梅雨 in June and July, autumn storms
    "typhoon": (0.2, 0.2, 0.4, 0.6, 0.8, 1.2, 2.2, 3.0, 2.4, 1.0, 0.3, 0.2),
    "fee": (2.4, 1.2, 0.8, 0.8, 0.8, 1.0, 1.2, 0.9, 0.8, 0.8, 1.0, 2.2),  # the annual fee bill in December
    "reno": (0.6, 0.5, 1.4, 1.5, 1.4, 1.0, 0.8, 0.8, 1.3, 1.4, 1.2, 0.8),  # renovations after the holidays
    "festival": (1.0, 0.8, 0.5, 0.5, 0.6, 0.8, 0.8, 2.2, 2.6, 1.0, 0.6, 1.4),  # mid-autumn and new-year activities
}
MONTH_VOLUME = (0.88, 0.85, 0.95, 1.0, 1.02, 1.12, 1.25, 1.25, 1.08, 0.95, 0.92, 0.92)
KIND_WEIGHTS = {"repair": 55, "inquiry": 20, "complaint": 8, "help": 7, "suggestion": 5, "praise": 5}
CHANNELS = {
    "repair": {"phone": 30, "hotline": 14, "app": 17, "wechat": 14, "walk_in": 8, "staff": 6, "patrol": 11},
    "inquiry": {"phone": 38, "hotline": 20, "app": 10, "wechat": 14, "walk_in": 18},
    "complaint": {"phone": 34, "hotline": 24, "app": 8, "wechat": 12, "walk_in": 16, "letter": 6},
    "help": {"phone": 58, "hotline": 18, "wechat": 10, "walk_in": 10, "app": 4},
    "suggestion": {"app": 25, "wechat": 28, "walk_in": 14, "letter": 15, "phone": 18},
    "praise": {"phone": 30, "wechat": 24, "app": 8, "walk_in": 22, "letter": 16},
}
# Calls by hour of day (0–23): a morning peak, a lunch dip, an evening peak after work, little at night.
HOURS_WEEKDAY = (0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.2, 2.0, 1.6, 0.9, 1.0, 1.4, 1.4, 1.3, 1.3, 1.5,
                 1.9, 1.8, 1.2, 0.6, 0.3)
HOURS_WEEKEND = (0.2, 0.1, 0.06, 0.05, 0.05, 0.08, 0.2, 0.5, 1.0, 1.6, 1.9, 1.7, 1.1, 1.1, 1.4, 1.4, 1.3, 1.2, 1.3,
                 1.6, 1.6, 1.1, 0.6, 0.3)
HOURS_URGENT = (0.6, 0.4, 0.3, 0.3, 0.3, 0.4, 0.7, 1.0, 1.2, 1.3, 1.2, 1.1, 1.0, 1.0, 1.1, 1.1, 1.1, 1.2, 1.4, 1.5,
                1.5, 1.3, 1.0, 0.8)
HOURS_OFFICE = (0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.6, 1.8, 1.4, 0.5, 0.8, 1.4, 1.5, 1.4, 0.8, 0, 0, 0, 0, 0, 0)
PATROL_WINDOWS = ((9 * 60 + 15, 11 * 60 + 15), (14 * 60 + 45, 17 * 60 + 15))  # 9:30–11:00, 15:00–17:00 ±15 min
EMOTIONS = {
    "complaint": {"calm": 45, "angry": 30, "anxious": 12, "loud": 10, "sad": 3},
    "urgent": {"calm": 50, "anxious": 44, "angry": 5, "loud": 1},
    "praise": {"calm": 100},
    "": {"calm": 86, "anxious": 9, "angry": 3, "sad": 1, "loud": 1},
}


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str  # short label, used in replies
    texts: tuple[str, ...]  # what the resident says (the description)
    weight: float = 1.0
    # Where: "room" (the reporter's home), "stairwell", "elevator", "unit_door" (of the reporter's building), or a
    # common area of the project: "kind:garage", "name:儿童游乐场".
    where: str = "room"
    depts: tuple[str, ...] = ()  # departments that get a work order, in order
    results: tuple[str, ...] = ()  # work done by the first department (or, without work orders, the answers)
    results2: tuple[str, ...] = ()  # work done by the second department
    materials: tuple[str, ...] = ()  # aligned with results
    urgent: bool = False
    season: str = ""
    patrol: bool = False  # also found on patrol or reported by staff
    request: str = ""  # what the resident asks for
    impact: str = ""
    cause: str = ""
    part: str = "配件"  # what a technician may have to wait for
    # Complaints.
    category: str = ""
    severities: tuple[float, float, float] = (0.03, 0.15, 0.82)  # major, important, minor
    complained: str = ""  # department kind complained about
    person: str = ""  # person complained about ({security} etc. are the project's staff)
    valid: float = 0.7
    causes: tuple[str, ...] = ()  # root causes when valid
    invalid: tuple[str, ...] = ()  # what was found when not valid


S = Subject
E, SEC, CLN, GRN = "engineering", "security", "cleaning", "landscaping"

SUBJECTS: tuple[Subject, ...] = (
    # Repairs 报修.
    S("repair", "厨房水管漏水", ("厨房水槽下水管接头漏水，柜子里全是水", "厨房水管爆裂漏水，地面已经积水"), 5,
      depts=(E,),
      results=("更换破损的水管接头，试水无渗漏", "关闭进户总阀后更换爆裂管段，恢复供水，试水正常"),
      materials=("PPR直接2个、生料带", "PPR管1米、弯头2个"), urgent=True, request="马上派人来关水维修",
      impact="水流到客厅地板上", part="管件"),
    S("repair", "下水道堵塞", ("卫生间地漏堵塞，洗澡时积水", "马桶堵塞，冲水冲不下去",
                            "厨房下水道堵塞，水池排水很慢"), 9, depts=(E,),
      results=("使用疏通机疏通，清出毛发等杂物，排水恢复正常", "疏通马桶，取出堵塞异物，冲水正常",
               "疏通厨房下水管并清理油污，排水顺畅"), request="尽快上门疏通"),
    S("repair", "水龙头滴水", ("厨房水龙头关不紧，一直滴水", "卫生间洗手盆龙头滴水"), 5, depts=(E,),
      results=("更换水龙头阀芯，已不再滴水",), materials=("陶瓷阀芯1个",), part="阀芯"),
    S("repair", "马桶水箱故障", ("马桶水箱一直流水，不停地进水", "马桶冲水按钮坏了按不下去"), 4, depts=(E,),
      results=("更换水箱进水阀和止水皮垫，测试正常", "更换冲水按钮组件，冲水正常"),
      materials=("进水阀1套", "冲水按钮组件1套"), part="水箱配件"),
    S("repair", "家中停电", ("家里突然停电，总闸合不上", "家里断电了，楼道里的灯是亮的"), 2, depts=(E,),
      results=("检查为空调回路短路导致跳闸，隔离故障回路后恢复供电，已建议住户联系空调售后",
               "更换烧毁的入户空气开关，恢复供电"), materials=("", "空气开关1个"), urgent=True,
      request="尽快恢复供电"),
    S("repair", "插座没电", ("卧室插座没电", "厨房插座打火，不敢再用"), 4, depts=(E,),
      results=("更换烧坏的插座面板，通电测试正常",), materials=("五孔插座面板1个",), part="插座面板"),
    S("repair", "灯不亮", ("客厅吸顶灯不亮", "卫生间灯不亮，开关没反应"), 4, depts=(E,),
      results=("更换灯具镇流器，灯具恢复正常", "更换开关面板，灯具正常点亮"),
      materials=("镇流器1个", "单开开关面板1个")),
    S("repair", "墙面渗水", ("卧室墙面渗水，墙皮起鼓发霉", "卫生间顶部渗水，怀疑楼上防水有问题",
                          "外墙渗水，下雨时窗边墙面湿了一大片"), 6, depts=(E,),
      results=("检查为楼上卫生间防水层破损，已协调楼上住户配合维修，渗水已止住，墙面待干燥后修补",
               "对外墙窗边缝隙重新打胶封堵，淋水试验无渗漏"), materials=("", "耐候密封胶2支"), season="rainy",
      impact="墙面发霉，影响居住", cause="住户认为是楼上防水没做好", part="防水材料"),
    S("repair", "窗户漏雨", ("下雨时窗户漏雨，窗台积水",), 2, depts=(E,),
      results=("更换窗户密封胶条并疏通排水孔，淋水试验无渗漏",), materials=("密封胶条6米",), season="rainy",
      part="密封胶条"),
    S("repair", "空调外机噪音", ("空调外机噪音大，晚上影响休息", "楼上空调外机震动噪音很大"), 4, depts=(E,),
      results=("加固空调外机支架，加装减震垫，噪音明显降低",), materials=("减震垫4个",), season="summer",
      impact="晚上睡不好觉", part="外机支架"),
    S("repair", "空调冷凝水滴水", ("楼上空调冷凝水滴到我家阳台上",), 3, depts=(E,),
      results=("为楼上住户空调加装冷凝水管并接入排水立管，已不再滴水",), materials=("冷凝水管3米",),
      season="summer"),
    S("repair", "门锁故障", ("入户门锁坏了，钥匙插进去拧不动", "防盗门锁舌卡住，门关不上"), 3, depts=(E,),
      results=("拆修门锁锁芯并润滑，开关正常", "更换锁体，调试后开关顺畅"), materials=("", "锁体1个"),
      part="锁体"),
    S("repair", "燃气异味", ("厨房有燃气味，担心漏气",), 1, depts=(E,),
      results=("关闭燃气总阀，检测为灶具软管老化，已协助联系燃气公司更换软管，复测无泄漏",),
      materials=("燃气软管1根",), urgent=True, request="马上派人来看看"),
    S("repair", "电梯故障", ("电梯停在12楼不动，按钮没反应", "电梯运行时有异响，晃得厉害", "电梯门关不上，反复开合"), 5,
      where="elevator", depts=(E,),
      results=("维保单位到场检修，更换门机皮带，电梯恢复运行", "调整导靴并润滑导轨，异响消除，试运行正常",
               "清理门槛槽异物并调整门机，开关门正常"), patrol=True, part="电梯门机皮带"),
    S("repair", "电梯困人", ("电梯困人，一名住户被困在轿厢内",), 1, where="elevator", depts=(E,),
      results=("维保人员到场盘车放人，被困住户安全，电梯检修后恢复运行",), urgent=True, request="马上救人"),
    S("repair", "门禁失灵", ("单元门禁失灵，刷卡开不了门", "单元门禁对讲没有声音", "单元门闭门器坏了，门关不上"), 4,
      where="unit_door", depts=(E,),
      results=("更换门禁读卡模块，刷卡开门正常", "检修对讲主机线路，通话恢复正常", "更换闭门器，门能自动关闭"),
      materials=("读卡模块1个", "", "闭门器1个"), patrol=True, part="读卡模块"),
    S("repair", "楼道灯不亮", ("楼道灯不亮，晚上回家看不清楼梯", "楼道声控灯一直亮着不灭"), 5, where="stairwell",
      depts=(E,), results=("更换楼道声控灯", "更换声控开关，灯具工作正常"),
      materials=("LED声控灯1个", "声控开关1个"), patrol=True),
    S("repair", "车库照明故障", ("地下车库有几盏灯不亮",), 2, where="kind:garage", depts=(E,),
      results=("更换车库LED灯管5支，照明恢复",), materials=("LED灯管5支",), patrol=True),
    S("repair", "车库道闸故障", ("车库出口道闸不抬杆，车辆出不去",), 2, where="kind:garage", depts=(E,),
      results=("重启道闸控制器并校准车牌识别，抬杆正常",), patrol=True),
    S("repair", "路灯不亮", ("中心广场的路灯不亮", "小区主干道有两盏路灯不亮"), 2, where="kind:square", depts=(E,),
      results=("检修路灯线路，更换损坏灯泡，恢复照明",), materials=("LED路灯灯泡2个",), patrol=True),
    S("repair", "车库积水", ("暴雨后地下车库入口积水",), 1, where="kind:garage", depts=(E, CLN),
      results=("开启排水泵抽排积水，清理排水沟杂物",), results2=("清理地面淤泥并冲洗车库地面",), season="rainy",
      patrol=True),
    S("repair", "游乐设施损坏", ("儿童游乐场滑梯螺丝松动", "儿童游乐场秋千链条磨损严重"), 1, where="name:儿童游乐场",
      depts=(E,), results=("紧固滑梯螺丝并检查其他设施，无安全隐患", "更换秋千链条，检查无安全隐患"), patrol=True),
    S("repair", "消防栓箱破损", ("楼道消防栓箱玻璃破损",), 1, where="stairwell", depts=(E,),
      results=("更换消防栓箱玻璃",), patrol=True),
    S("repair", "喷灌水管破裂", ("绿化带喷灌水管破裂，路面一直冒水",), 1, where="kind:greenery", depts=(GRN,),
      results=("更换破裂的喷灌管段，恢复喷灌",), patrol=True),
    S("repair", "树枝折断", ("大风后树枝折断，挡住了人行道",), 1, where="kind:greenery", depts=(GRN,),
      results=("清理折断树枝并修剪周边枯枝，道路恢复通行",), season="typhoon", patrol=True),
    S("repair", "垃圾点满溢", ("垃圾分类投放点垃圾满溢，有异味",), 2, where="name:垃圾分类投放点", depts=(CLN,),
      results=("及时清运垃圾并冲洗消毒投放点",), season="summer", patrol=True),
    S("repair", "地砖破损", ("广场地砖松动破损，容易绊倒",), 1, where="kind:square", depts=(E,),
      results=("更换破损地砖并找平",), materials=("地砖6块、水泥砂浆",), patrol=True),
    # Inquiries 咨询: answered by the desk, no work order.
    S("inquiry", "物业费缴纳", ("咨询物业费缴纳方式和收费标准", "询问今年物业费账单金额"), 6, season="fee",
      results=("物业费可通过APP、微信公众号或到客服中心缴纳，收费标准按物业服务合同执行",
               "已查询账单并告知应缴金额及缴费渠道")),
    S("inquiry", "停车位", ("咨询地下车位月卡怎么办理", "询问访客车辆怎么登记进小区"), 4,
      results=("月卡可携带行驶证、身份证到客服中心办理", "访客车辆在岗亭登记后可临时停放2小时")),
    S("inquiry", "装修手续", ("咨询装修手续怎么办理", "询问装修施工时间有什么规定"), 3, season="reno",
      results=("需携带房产证、身份证及装修方案到客服中心办理装修登记，签订装修管理协议",
               "施工时间为工作日8:00-12:00、14:00-18:00，节假日不得进行噪音施工")),
    S("inquiry", "门禁卡补办", ("门禁卡丢了，咨询怎么补办",), 2, results=("携带身份证到客服中心补办，工本费20元",)),
    S("inquiry", "停水通知", ("询问明天是否停水，停多久",), 1,
      results=("明日9:00-15:00因二次供水水箱清洗停水，请提前储水",)),
    S("inquiry", "快递代收", ("咨询快递能否放在门岗代收",), 1, results=("小区已设快递柜，大件快递可在南门岗暂存",)),
    S("inquiry", "房屋出租", ("咨询房屋出租需要办理什么手续",), 1,
      results=("出租需到客服中心登记租户信息并为租户办理门禁卡",)),
    S("inquiry", "宠物登记", ("咨询养狗需要办理哪些登记",), 1,
      results=("需办理犬只登记并接种疫苗，遛狗须牵绳并及时清理粪便",)),
    S("inquiry", "发票开具", ("咨询物业费发票怎么开", "询问停车费能否开电子发票"), 1,
      results=("可在APP缴费记录中申请电子发票",)),
    S("inquiry", "社区活动", ("询问社区中秋活动怎么报名", "询问元旦亲子活动的时间"), 1, season="festival",
      results=("活动可在APP社区活动栏目或到客服中心报名",)),
    # Complaints 投诉.
    S("complaint", "装修噪音扰民", ("楼上装修噪音扰民，中午休息时间还在电钻施工", "隔壁装修周末一大早就开始砸墙"), 5,
      depts=(SEC,), results=("秩序员上门制止违规施工，并告知装修负责人施工时间规定",), season="reno",
      category="property", severities=(0.01, 0.09, 0.9), causes=("装修施工单位违反装修管理规定，在休息时间施工",),
      invalid=("施工在规定时间内进行，已协调装修方减少噪音",), request="马上制止施工"),
    S("complaint", "夜间噪音", ("晚上广场舞音响太吵，十点多了还没停", "楼下商铺夜里搬货噪音很大"), 2, depts=(SEC,),
      results=("秩序员到场劝导，音量已调小并按时结束",), season="summer", category="property",
      severities=(0.0, 0.08, 0.92), causes=("活动未遵守小区公约约定的时间和音量",),
      invalid=("现场检测噪音未超标，已向住户解释并请活动方注意音量",)),
    S("complaint", "保安态度", ("南门岗保安态度恶劣，登记访客时被呵斥", "保安值班时玩手机，叫了几次都不理人"), 3,
      depts=(SEC,), results=("秩序部主管约谈当事秩序员，并组织服务礼仪再培训",), category="property",
      severities=(0.02, 0.28, 0.7), complained=SEC, person="南门岗值班秩序员",
      causes=("当事秩序员服务意识不足、沟通方式生硬",), invalid=("调取监控核实，秩序员按规定要求登记，态度并无不当",)),
    S("complaint", "电梯频繁故障", ("电梯一个月坏了三次，老人上下楼很不方便", "电梯经常停运，维保不到位"), 3,
      where="elevator", depts=(E,), results=("联合维保单位对电梯全面检修，更换老化的门机控制板",),
      category="property", severities=(0.05, 0.35, 0.6), complained=E,
      causes=("电梯门机控制板老化，维保单位保养不到位",), invalid=("故障系住户用物品挡门造成，电梯本身运行正常",)),
    S("complaint", "垃圾清运不及时", ("楼下垃圾桶满溢发臭，好几天没人清运",), 3, depts=(CLN,),
      results=("增加垃圾清运频次至每日两次，并冲洗消毒垃圾桶",), season="summer", category="property",
      complained=CLN, causes=("夏季垃圾量增加，清运频次未及时调整",),
      invalid=("当日清运车辆故障延误，已恢复正常清运",)),
    S("complaint", "房屋质量", ("房屋外墙渗水，多次维修仍未解决", "卫生间地面开裂，楼下天花板渗水",
                            "交房不到两年地板大面积起拱"), 2, depts=(E,),
      results=("联系开发商维保单位现场勘查，重做外墙防水并修复内墙",), category="engineering",
      severities=(0.12, 0.38, 0.5), causes=("防水施工质量问题，属开发商保修范围",),
      invalid=("勘查为住户自行改造防水层造成，已告知维修建议",), request="彻底解决，不要再反复"),
    S("complaint", "车位被占", ("我的车位经常被别人的车占用",), 2, where="kind:garage", depts=(SEC,),
      results=("秩序员联系占位车主挪车，并在车位加装提示牌",), category="property",
      causes=("访客车辆乱停，岗亭登记引导不到位",), invalid=("占位车辆为住户家属车辆，已协调双方",)),
    S("complaint", "绿化养护差", ("小区草坪大片枯黄，绿化养护太差",), 1, where="kind:greenery", depts=(GRN,),
      results=("补种草皮并调整浇灌计划",), category="property", severities=(0.0, 0.1, 0.9), complained=GRN,
      causes=("夏季高温浇灌不及时",), invalid=("草坪处于季节性休眠期，已向住户解释",)),
    S("complaint", "楼道堆物", ("楼道里堆放杂物，存在消防隐患",), 2, where="stairwell", depts=(SEC, CLN),
      results=("秩序员张贴整改通知并督促住户清理",), results2=("清运楼道杂物，恢复通道畅通",), category="property",
      causes=("个别住户长期在楼道堆放杂物，巡查未及时发现",), invalid=("杂物为住户搬家临时放置，当日已清走",)),
    S("complaint", "蚊虫多", ("小区蚊虫太多，绿化带没有按时消杀",), 2, where="kind:greenery", depts=(CLN, GRN),
      results=("对楼栋周边及垃圾投放点进行消杀",), results2=("对绿化带灭蚊消杀并清理积水",), season="summer",
      category="property", complained=CLN, causes=("雨后积水未及时清理，消杀频次不足",),
      invalid=("已按计划每周消杀，蚊虫多为周边河道滋生",)),
    S("complaint", "维修工迟到", ("维修工约好上午来，结果下午才到，也没提前打电话",), 1, category="service",
      complained=E, person="{tech}", causes=("维修工未按约定时间上门且未提前告知",),
      invalid=("维修工已提前致电改约，住户未接到电话",)),
    S("complaint", "客服电话无人接", ("客服电话打了好几次都没人接",), 1, category="service",
      complained="customer_service", causes=("午间值班人员不足，来电高峰接听不及时",),
      invalid=("当时线路故障，已修复",)),
    S("complaint", "车位不足", ("小区规划的车位太少，晚上根本停不下",), 1, where="kind:garage", category="design",
      valid=0.5, causes=("小区规划车位配比不足，属规划设计问题",), invalid=("车位配比符合规划要求",)),
    S("complaint", "会所未开放", ("购房时承诺的会所至今没有开放",), 1, where="name:会所", category="sales",
      valid=0.6, causes=("开发商会所验收延期",), invalid=("购房合同未约定会所开放时间",)),
    S("complaint", "物业费上涨", ("物业费上涨不合理，没有征求业主意见",), 1, category="other", valid=0.3,
      severities=(0.02, 0.2, 0.78), causes=("调价公示宣传不到位",), invalid=("物业费调整已经业主大会表决通过",)),
    # Help 求助.
    S("help", "钥匙锁在家", ("钥匙锁在家里进不去，孩子一个人在家", "出门忘带钥匙，进不了家"), 3, depts=(SEC,),
      results=("秩序员协助联系备案开锁公司，核实身份后开锁入户",), request="尽快帮忙开门"),
    S("help", "独居老人无人应答", ("子女来电，独居老人电话一直无人接听，请帮忙上门看看",), 1, depts=(SEC,),
      results=("管家和秩序员上门查看，老人在家休息，身体无恙，已回复家属",)),
    S("help", "老人摔倒", ("家中老人摔倒起不来，需要帮忙",), 1, depts=(SEC,),
      results=("秩序员到场协助扶起老人，家属已陪同就医",)),
    S("help", "搬运大件", ("家里要搬一台旧冰箱下楼，需要帮忙",), 2, depts=(SEC,),
      results=("秩序员协助搬运至楼下大件垃圾点",)),
    S("help", "车辆剐蹭", ("车停在车库被剐蹭，请求调取监控",), 2, where="kind:garage", depts=(SEC,),
      results=("协助调取监控，已找到肇事车辆并联系车主协商",)),
    S("help", "宠物走失", ("家里的狗走丢了，请帮忙在小区里找找",), 1, depts=(SEC,),
      results=("秩序员巡逻时留意并在业主群发布寻狗信息，已找到",)),
    S("help", "跳闸", ("家里跳闸了，不会合闸",), 2, depts=(E,), results=("上门协助检查，排除故障电器后合闸送电",)),
    S("help", "代为关窗", ("出差在外，下雨忘了关窗，请帮忙关一下",), 1, depts=(SEC,), season="rainy",
      results=("经住户授权，秩序员与管家一同入户关窗并拍照反馈",)),
    # Suggestions 建议.
    S("suggestion", "游乐场遮阳棚", ("建议在儿童游乐场增加遮阳棚",), 1, where="name:儿童游乐场",
      results=("已纳入明年公共设施改造计划，届时将在业主群公示方案",)),
    S("suggestion", "电动车充电桩", ("建议增设电动自行车充电桩，免得有人飞线充电",), 2,
      results=("已与供电部门沟通，计划在地面非机动车棚增设充电桩",)),
    S("suggestion", "会所开放时间", ("建议会所开放时间延长到晚上十点",), 1, where="name:会所",
      results=("自下月起会所周末开放时间延长至21:30",)),
    S("suggestion", "垃圾分类指导", ("建议在垃圾投放点安排志愿者指导分类",), 1,
      results=("已招募业主志愿者，早晚高峰在投放点值守指导",)),
    S("suggestion", "夜间巡逻", ("建议增加夜间巡逻频次",), 1, results=("已将夜间巡逻调整为每两小时一次",)),
    S("suggestion", "水箱清洗公示", ("建议定期清洗二次供水水箱并公示水质报告",), 1,
      results=("水箱每半年清洗一次，检测报告将在公告栏和APP公示",)),
    # Praise 表扬.
    S("praise", "表扬维修工", ("表扬维修工{tech}，上门及时，修得又快又好",), 3,
      results=("已转达{tech}并在工程部通报表扬",)),
    S("praise", "表扬秩序员", ("感谢秩序员{security}帮忙找回走失的孩子", "感谢秩序员{security}雨夜帮忙推车"), 2,
      results=("已转达{security}并在秩序部通报表扬",)),
    S("praise", "表扬保洁员", ("表扬保洁员{cleaning}，楼道每天打扫得很干净",), 2,
      results=("已转达{cleaning}并在环境部通报表扬",)),
    S("praise", "表扬管家", ("感谢管家{steward}经常看望家里老人",), 2, results=("已转达{steward}并通报表扬",)),
    S("praise", "表扬客服", ("表扬客服{agent}耐心帮忙处理问题",), 1, results=("已转达{agent}并在客服中心通报表扬",)),
    S("praise", "赠送锦旗", ("送来锦旗，感谢物业暴雨期间及时排水",), 1,
      results=("锦旗已悬挂在客服中心，我们会继续做好服务",)),
)

REJECT_REASONS = ("正在处理另一紧急工单，无法及时上门", "今日轮休，请改派他人", "非本人负责楼栋")
REASSIGN_REASONS = ("原维修工请假，改派他人", "需要专业电工处理，转派")
CANCEL_REASONS = ("住户已自行请人修好，要求撤单", "重复报事，已在另一工单处理", "住户取消报修")
REOPEN_REASONS = ("住户反映维修后问题复发，要求再次上门", "回访时住户反映仍未修好")
COMPLAINT_NOTES = ("已电话联系住户了解详细情况，住户情绪已安抚", "已与被投诉部门沟通，要求今日内处理完毕")
