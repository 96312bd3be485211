# Generates the "desk_assist" section of the demo bundle: the catalogue of administrative procedures
# of the provincial public administrative service center and its assistance log of November 2021,
# logged by the volunteers of the unit "Trung tâm phục vụ hành chính công" on the shifts they staffed
# in the "desk" section (run tools/demo/desk_roster.py first when the roster changes).
# Deterministic (seeded). Run from the repository root: python3 tools/demo/desk_assist.py
import json, random, datetime, fcntl

PATH = "data/demo/lam-dong-2021.json"
UNIT = "Trung tâm phục vụ hành chính công"

procedures = [
  ("1.001756", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam", "Lý lịch tư pháp", "4",
   ["Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp (Mẫu số 03/2013/TT-LLTP)", "Bản chụp Căn cước công dân hoặc Hộ chiếu",
    "Bản chụp Sổ hộ khẩu hoặc Giấy xác nhận thông tin về cư trú"], True),
  ("2.001193", "Đăng ký kết hôn có yếu tố nước ngoài", "Hộ tịch", "3",
   ["Tờ khai đăng ký kết hôn", "Giấy tờ chứng minh tình trạng hôn nhân của người nước ngoài",
    "Giấy xác nhận không mắc bệnh tâm thần", "Bản chụp Hộ chiếu của người nước ngoài", "Bản chụp Căn cước công dân của bên Việt Nam"], True),
  ("1.002809", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "Đường bộ", "4",
   ["Đơn đề nghị đổi giấy phép lái xe", "Giấy khám sức khỏe của người lái xe", "Bản chụp giấy phép lái xe", "Bản chụp Căn cước công dân"], True),
  ("1.002804", "Cấp lại giấy phép lái xe", "Đường bộ", "3",
   ["Đơn đề nghị cấp lại giấy phép lái xe", "Giấy khám sức khỏe của người lái xe", "Bản chụp Căn cước công dân"], True),
  ("1.003616", "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "Đường bộ", "4",
   ["Giấy đề nghị cấp Giấy phép kinh doanh vận tải bằng xe ô tô", "Bản sao Giấy chứng nhận đăng ký doanh nghiệp",
    "Bản sao văn bằng, chứng chỉ của người điều hành vận tải", "Phương án kinh doanh vận tải bằng xe ô tô"], True),
  ("2.001610", "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên", "Thành lập và phát triển doanh nghiệp", "4",
   ["Giấy đề nghị đăng ký doanh nghiệp", "Điều lệ công ty", "Bản sao giấy tờ pháp lý của chủ sở hữu",
    "Bản sao giấy tờ pháp lý của người đại diện theo pháp luật"], True),
  ("2.001199", "Đăng ký thay đổi nội dung đăng ký doanh nghiệp", "Thành lập và phát triển doanh nghiệp", "4",
   ["Thông báo thay đổi nội dung đăng ký doanh nghiệp", "Nghị quyết, quyết định của chủ sở hữu hoặc Hội đồng thành viên",
    "Giấy ủy quyền cho người nộp hồ sơ"], True),
  ("1.009972", "Cấp giấy phép xây dựng mới đối với công trình cấp đặc biệt, cấp I, cấp II", "Hoạt động xây dựng", "3",
   ["Đơn đề nghị cấp giấy phép xây dựng", "Bản sao giấy tờ chứng minh quyền sử dụng đất",
    "Bản sao quyết định phê duyệt dự án", "Hai bộ bản vẽ thiết kế xây dựng"], True),
  ("2.000908", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", "Đất đai", "3",
   ["Đơn đăng ký biến động đất đai, tài sản gắn liền với đất (Mẫu số 09/ĐK)", "Bản gốc Giấy chứng nhận quyền sử dụng đất",
    "Hợp đồng chuyển nhượng đã công chứng", "Tờ khai lệ phí trước bạ", "Tờ khai thuế thu nhập cá nhân"], True),
  ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp", "Chứng thực", "3",
   ["Bản chính giấy tờ cần chứng thực", "Bản sao cần chứng thực"], True),
  ("1.004604", "Cấp Chứng chỉ hành nghề dược", "Dược phẩm", "3",
   ["Đơn đề nghị cấp Chứng chỉ hành nghề dược", "Bản sao văn bằng chuyên môn", "Giấy chứng nhận đủ sức khỏe để hành nghề dược",
    "Giấy xác nhận thời gian thực hành chuyên môn", "Hai ảnh chân dung 4x6 cm"], True),
  ("1.005388", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở sản xuất, kinh doanh thực phẩm nông lâm thủy sản",
   "Quản lý chất lượng nông lâm sản và thủy sản", "3",
   ["Đơn đề nghị cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "Bản thuyết minh về cơ sở vật chất, trang thiết bị, dụng cụ",
    "Danh sách chủ cơ sở và người trực tiếp sản xuất đã được tập huấn kiến thức an toàn thực phẩm"], True),
  ("2.000635", "Cấp bản sao Trích lục hộ tịch", "Hộ tịch", "3",
   ["Tờ khai cấp bản sao trích lục hộ tịch", "Bản chụp Căn cước công dân"], False),
]

missing_notes = {
  "1.001756": "Thiếu giấy xác nhận thông tin về cư trú, hẹn bổ sung",
  "1.002809": "Thiếu giấy khám sức khỏe người lái xe",
  "1.002804": "Thiếu giấy khám sức khỏe người lái xe",
  "2.000908": "Hợp đồng chuyển nhượng chưa công chứng",
  "2.001610": "Chưa có bản sao giấy tờ pháp lý của người đại diện",
  "2.001199": "Thiếu nghị quyết của Hội đồng thành viên",
  "1.004604": "Thiếu giấy xác nhận thời gian thực hành",
}
referred_notes = [
  "Thủ tục thuộc thẩm quyền cấp huyện: hướng dẫn đến Bộ phận một cửa UBND TP Đà Lạt",
  "Hướng dẫn đến quầy Sở Tài nguyên và Môi trường để được giải đáp",
  "Hồ sơ đất đai cần đo đạc lại: chuyển Văn phòng đăng ký đất đai",
]
weights = {"1.001756": 9, "1.002809": 8, "1.002804": 3, "2.001610": 4, "2.001199": 4, "2.000908": 6, "2.000815": 2,
           "1.009972": 1, "1.003616": 2, "1.004604": 2, "1.005388": 2, "2.001193": 1}

def local(ts):
  return datetime.datetime.fromtimestamp(ts, datetime.timezone(datetime.timedelta(hours=7))).strftime("%Y-%m-%dT%H:%M:%S")

def build(d):
  rng = random.Random(20211130)
  unit_members = {m["ref"] for m in d["members"] if m.get("unit") == UNIT and m["status"] == "active"}
  center = d["desk"]["centers"][0]
  counter = center["counters"][0]
  levels = {p[0]: p[3] for p in procedures}
  codes = [c for c in weights]
  w = [weights[c] for c in codes]
  assists = []
  phones = ["+84913220417", "+84987546132"]
  for period in center["periods"]:
    for s in period["shifts"]:
      for staff in s["staff"]:
        if staff["no_show"] or staff["member"] not in unit_members or staff.get("check_in_at") is None:
          continue
        n = rng.choice([0, 1, 1, 2, 2])
        lo, hi = staff["check_in_at"] + 600, staff["check_out_at"] - 600
        times = sorted(rng.randrange(lo, hi) // 60 * 60 for _ in range(n))
        for t in times:
          code = rng.choices(codes, w)[0]
          r = rng.random()
          outcome = "submitted" if r < 0.7 else "missing_papers" if r < 0.9 else "referred"
          steps = []
          note = ""
          if outcome == "submitted":
            steps = ["scanned"] + (["account"] if rng.random() < 0.5 else []) + ["fileset", "submitted"]
          elif outcome == "missing_papers":
            steps = ["scanned"] if rng.random() < 0.6 else []
            if rng.random() < 0.4: steps.append("account")
            note = missing_notes.get(code, "Thiếu giấy tờ, hẹn bổ sung")
          else:
            steps = ["account"] if rng.random() < 0.3 else []
            note = rng.choice(referred_notes)
          a = {"at": local(t), "member": staff["member"],
               "shift": {"template": s["template"], "counter": counter, "date": s["date"]},
               "procedure": code, "level": levels[code], "steps": steps, "outcome": outcome,
               "phone": None, "phone_consent_at": None, "note": note}
          if outcome == "missing_papers" and phones:
            a["phone"] = phones.pop(0)
            a["phone_consent_at"] = a["at"]
            a["note"] += "; người dân đồng ý để lại số điện thoại để nhắc bổ sung"
          assists.append(a)
  assists.sort(key=lambda a: a["at"])
  procs = [{"code": c, "name": n, "field": f, "level": l, "documents": docs, "active": act} for c, n, f, l, docs, act in procedures]
  procs.sort(key=lambda p: p["code"])
  return {"centers": [{"org": "VPUBND", "center": center["name"], "procedures": procs, "assists": assists}]}

with open("/tmp/demo-bundle.lock", "w") as lock:
  fcntl.flock(lock, fcntl.LOCK_EX)  # other generators write other sections of the same file
  with open(PATH) as f:
    d = json.load(f)
  section = build(d)
  d["desk_assist"] = section
  with open(PATH, "w") as f:
    json.dump(d, f, ensure_ascii=False, indent=2, sort_keys=True)
    f.write("\n")
a = section["centers"][0]["assists"]
print(len(a), "assists;", sum(x["outcome"] == "submitted" for x in a), "submitted;", len({x["member"] for x in a}), "volunteers")
