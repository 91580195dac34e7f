"""The made-up province's names: departments (with their fields and case volumes), districts,
the parts commune names are drawn from, and the procedures of each field and level."""

from __future__ import annotations

# (unit suffix, name, fields, relative case volume)
_DEPARTMENTS: tuple[tuple[str, str, tuple[str, ...], float], ...] = (
    ("S01", "Sở Tư pháp", ("tu_phap",), 1.5),
    ("S02", "Sở Xây dựng", ("xay_dung",), 1.0),
    ("S03", "Sở Tài nguyên và Môi trường", ("dat_dai", "moi_truong"), 3.0),
    ("S04", "Sở Kế hoạch và Đầu tư", ("dau_tu", "kinh_doanh"), 2.0),
    ("S05", "Sở Lao động - Thương binh và Xã hội", ("lao_dong", "nguoi_co_cong"), 1.0),
    ("S06", "Sở Giao thông vận tải", ("giao_thong",), 2.5),
    ("S07", "Sở Giáo dục và Đào tạo", ("giao_duc",), 0.5),
    ("S08", "Sở Y tế", ("y_te",), 1.0),
    ("S09", "Sở Công Thương", ("cong_thuong",), 0.6),
    ("S10", "Sở Nông nghiệp và Phát triển nông thôn", ("nong_nghiep",), 0.6),
    ("S11", "Sở Văn hóa, Thể thao và Du lịch", ("van_hoa",), 0.4),
    ("S12", "Sở Tài chính", ("tai_chinh",), 0.3),
    ("S13", "Sở Thông tin và Truyền thông", ("thong_tin_truyen_thong",), 0.2),
    ("S14", "Sở Nội vụ", ("noi_vu",), 0.3),
    ("S15", "Sở Khoa học và Công nghệ", ("khoa_hoc_cong_nghe",), 0.2),
)
_DISTRICTS = ("Thành phố Mẫu Sơn", "Thị xã Bình An", "Huyện An Phú", "Huyện Tân Lộc",
              "Huyện Hòa Thịnh", "Huyện Phú Mỹ", "Huyện Long Hưng", "Huyện Vĩnh Thạnh")
_COMMUNES_PER_DISTRICT = 15
_NAME_A = ("An", "Bình", "Tân", "Phú", "Hòa", "Thạnh", "Long", "Mỹ", "Hưng", "Phước", "Thuận",
           "Vĩnh", "Đông", "Tây", "Nam", "Bắc", "Trung", "Quang", "Minh", "Hiệp")
_NAME_B = ("Hòa", "Lợi", "Thành", "Phú", "Hưng", "Lộc", "Thịnh", "An", "Bình", "Đức", "Tiến",
           "Phong", "Sơn", "Hải", "Lâm")

# field -> level -> procedure names (level: province = departments, district, commune)
_PROCEDURES: dict[str, dict[str, tuple[str, ...]]] = {
    "dat_dai": {
        "province": (
            "Giao đất, cho thuê đất cho tổ chức không thông qua đấu giá quyền sử dụng đất",
            "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với tổ chức",
            "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất lần đầu cho tổ chức",
            "Gia hạn sử dụng đất ngoài khu công nghệ cao, khu kinh tế",
            "Thu hồi đất do chấm dứt việc sử dụng đất theo pháp luật, tự nguyện trả lại đất",
            "Đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            "Xóa đăng ký thế chấp quyền sử dụng đất, tài sản gắn liền với đất",
            "Cung cấp thông tin, dữ liệu đất đai",
            "Đính chính Giấy chứng nhận đã cấp",
        ),
        "district": (
            "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
            "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền đối với hộ gia đình, cá nhân",
            "Đăng ký biến động do chuyển nhượng, tặng cho, thừa kế quyền sử dụng đất",
            "Tách thửa hoặc hợp thửa đất",
            "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
            "Cấp lại Giấy chứng nhận quyền sử dụng đất do bị mất",
            "Giao đất, cho thuê đất cho hộ gia đình, cá nhân",
        ),
        "commune": (
            "Hòa giải tranh chấp đất đai",
            "Xác nhận hiện trạng sử dụng đất",
        ),
    },
    "moi_truong": {
        "province": (
            "Cấp giấy phép môi trường thuộc thẩm quyền của Ủy ban nhân dân cấp tỉnh",
            "Thẩm định báo cáo đánh giá tác động môi trường",
            "Cấp giấy phép khai thác khoáng sản",
            "Cấp giấy phép khai thác, sử dụng nước mặt",
            "Cấp giấy phép thăm dò nước dưới đất",
            "Đăng ký khai thác nước dưới đất",
        ),
        "district": ("Cấp giấy phép môi trường thuộc thẩm quyền của Ủy ban nhân dân cấp huyện",),
    },
    "xay_dung": {
        "province": (
            "Cấp giấy phép xây dựng mới đối với công trình cấp I, cấp II",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo công trình",
            "Điều chỉnh giấy phép xây dựng",
            "Gia hạn giấy phép xây dựng",
            "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
            "Thẩm định thiết kế xây dựng triển khai sau thiết kế cơ sở",
            "Cấp chứng chỉ hành nghề hoạt động xây dựng hạng II, hạng III",
            "Cấp chứng chỉ năng lực hoạt động xây dựng hạng II, hạng III",
            "Kiểm tra công tác nghiệm thu hoàn thành công trình",
            "Cấp giấy phép di dời công trình",
            "Thông báo nhà ở hình thành trong tương lai đủ điều kiện được bán, cho thuê mua",
        ),
        "district": (
            "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ",
            "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ",
            "Gia hạn giấy phép xây dựng nhà ở riêng lẻ",
            "Cấp lại giấy phép xây dựng",
            "Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng",
        ),
    },
    "dau_tu": {
        "province": (
            "Chấp thuận chủ trương đầu tư của Ủy ban nhân dân cấp tỉnh",
            "Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
            "Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
            "Điều chỉnh dự án đầu tư trong trường hợp chuyển nhượng dự án đầu tư",
            "Gia hạn thời hạn hoạt động của dự án đầu tư",
            "Chấm dứt hoạt động của dự án đầu tư",
            "Cấp lại hoặc hiệu đính thông tin trên Giấy chứng nhận đăng ký đầu tư",
            "Thẩm định dự án đầu tư theo phương thức đối tác công tư",
        ),
    },
    "kinh_doanh": {
        "province": (
            "Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
            "Đăng ký thành lập công ty cổ phần",
            "Đăng ký thành lập doanh nghiệp tư nhân",
            "Đăng ký thay đổi người đại diện theo pháp luật của công ty",
            "Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp",
            "Thông báo tạm ngừng kinh doanh",
            "Giải thể doanh nghiệp",
            "Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
            "Cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
        ),
        "district": (
            "Đăng ký thành lập hộ kinh doanh",
            "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh",
            "Tạm ngừng hoạt động hộ kinh doanh",
            "Chấm dứt hoạt động hộ kinh doanh",
            "Đăng ký thành lập hợp tác xã",
        ),
    },
    "tu_phap": {
        "province": (
            "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam, người nước ngoài đang cư trú tại Việt Nam",
            "Cấp Phiếu lý lịch tư pháp cho cơ quan tiến hành tố tụng",
            "Đăng ký hành nghề và cấp Thẻ luật sư",
            "Thành lập Văn phòng công chứng",
            "Đăng ký hoạt động Văn phòng công chứng",
            "Đăng ký hành nghề và cấp Thẻ công chứng viên",
            "Cấp giấy đăng ký hoạt động của Trung tâm tư vấn pháp luật",
            "Đăng ký hoạt động của Văn phòng thừa phát lại",
            "Thay đổi nội dung đăng ký hoạt động của tổ chức hành nghề luật sư",
        ),
        "district": (
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của nước ngoài cấp",
            "Chứng thực chữ ký người dịch",
            "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản",
        ),
        "commune": (
            "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan có thẩm quyền của Việt Nam cấp",
            "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "Chứng thực hợp đồng, giao dịch liên quan đến quyền sử dụng đất, nhà ở",
            "Chứng thực di chúc",
            "Chứng thực văn bản thỏa thuận phân chia di sản",
        ),
    },
    "ho_tich": {
        "district": (
            "Đăng ký khai sinh có yếu tố nước ngoài",
            "Đăng ký kết hôn có yếu tố nước ngoài",
            "Thay đổi, cải chính, bổ sung thông tin hộ tịch, xác định lại dân tộc",
            "Ghi vào Sổ hộ tịch việc ly hôn đã được giải quyết tại cơ quan có thẩm quyền của nước ngoài",
            "Đăng ký khai tử có yếu tố nước ngoài",
        ),
        "commune": (
            "Đăng ký khai sinh",
            "Đăng ký kết hôn",
            "Đăng ký khai tử",
            "Đăng ký nhận cha, mẹ, con",
            "Đăng ký giám hộ",
            "Cấp bản sao trích lục hộ tịch",
            "Cấp Giấy xác nhận tình trạng hôn nhân",
            "Đăng ký lại khai sinh",
            "Liên thông các thủ tục đăng ký khai sinh, đăng ký thường trú, cấp thẻ bảo hiểm y tế cho trẻ em dưới 6 tuổi",
            "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch",
        ),
    },
    "lao_dong": {
        "province": (
            "Cấp giấy phép lao động cho người lao động nước ngoài làm việc tại Việt Nam",
            "Cấp lại giấy phép lao động cho người lao động nước ngoài",
            "Xác nhận người lao động nước ngoài không thuộc diện cấp giấy phép lao động",
            "Giải quyết hưởng trợ cấp thất nghiệp",
            "Đăng ký nội quy lao động của doanh nghiệp",
            "Cấp giấy phép hoạt động dịch vụ việc làm",
            "Đăng ký hoạt động giáo dục nghề nghiệp trình độ sơ cấp",
        ),
    },
    "bao_tro_xa_hoi": {
        "district": (
            "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng",
            "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội",
            "Tiếp nhận đối tượng cần bảo vệ khẩn cấp vào cơ sở trợ giúp xã hội",
            "Đổi, cấp lại Giấy xác nhận khuyết tật",
        ),
        "commune": (
            "Xác định, xác định lại mức độ khuyết tật và cấp Giấy xác nhận khuyết tật",
            "Đăng ký hoạt động đối với cơ sở trợ giúp xã hội dưới 10 đối tượng",
            "Công nhận hộ nghèo, hộ cận nghèo phát sinh trong năm",
        ),
    },
    "nguoi_co_cong": {
        "province": (
            "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ",
            "Công nhận và giải quyết chế độ người hoạt động kháng chiến bị nhiễm chất độc hóa học",
            "Cấp giấy chứng nhận thân nhân liệt sĩ",
        ),
    },
    "giao_thong": {
        "province": (
            "Cấp mới Giấy phép lái xe",
            "Đổi Giấy phép lái xe do ngành Giao thông vận tải cấp",
            "Cấp lại Giấy phép lái xe",
            "Cấp Giấy phép kinh doanh vận tải bằng xe ô tô",
            "Cấp phù hiệu xe ô tô kinh doanh vận tải",
            "Cấp giấy phép lưu hành xe quá tải trọng, xe quá khổ giới hạn",
            "Chấp thuận xây dựng công trình thiết yếu trong phạm vi bảo vệ kết cấu hạ tầng giao thông đường bộ",
            "Cấp giấy chứng nhận đăng ký xe máy chuyên dùng lần đầu",
            "Đổi Giấy phép lái xe do cơ quan có thẩm quyền của nước ngoài cấp",
        ),
        "district": (
            "Cấp giấy phép thi công công trình trên đường bộ đang khai thác thuộc phạm vi quản lý của cấp huyện",
            "Đăng ký phương tiện thủy nội địa lần đầu",
        ),
    },
    "giao_duc": {
        "province": (
            "Công nhận trường trung học đạt chuẩn quốc gia",
            "Cấp phép hoạt động giáo dục kỹ năng sống",
            "Cho phép thành lập trung tâm ngoại ngữ, tin học",
            "Chuyển trường đối với học sinh trung học phổ thông",
            "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc",
            "Chỉnh sửa nội dung văn bằng, chứng chỉ",
        ),
        "district": (
            "Chuyển trường đối với học sinh trung học cơ sở",
            "Cho phép trường mầm non hoạt động giáo dục",
            "Thành lập trường mầm non, trường tiểu học, trường trung học cơ sở tư thục",
            "Xét, duyệt chính sách hỗ trợ đối với học sinh bán trú",
        ),
        "commune": ("Cho phép nhóm trẻ, lớp mẫu giáo độc lập hoạt động",),
    },
    "y_te": {
        "province": (
            "Cấp chứng chỉ hành nghề khám bệnh, chữa bệnh",
            "Cấp giấy phép hoạt động đối với phòng khám chuyên khoa",
            "Cấp Chứng chỉ hành nghề dược",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh dược",
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",
            "Tiếp nhận bản tự công bố sản phẩm",
            "Cấp giấy xác nhận nội dung quảng cáo mỹ phẩm",
            "Đăng ký bản công bố sản phẩm dinh dưỡng y học",
        ),
        "district": (
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống",
        ),
    },
    "cong_thuong": {
        "province": (
            "Cấp Giấy phép bán buôn sản phẩm rượu",
            "Cấp Giấy chứng nhận đủ điều kiện cửa hàng bán lẻ xăng dầu",
            "Cấp Giấy phép hoạt động điện lực",
            "Đăng ký thực hiện khuyến mại",
            "Cấp Giấy phép lập cơ sở bán lẻ",
            "Cấp Giấy chứng nhận đủ điều kiện sản xuất hóa chất",
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm thuộc ngành công thương",
        ),
        "district": (
            "Cấp Giấy phép bán lẻ rượu",
            "Cấp Giấy phép bán lẻ sản phẩm thuốc lá",
            "Cấp Giấy phép sản xuất rượu thủ công nhằm mục đích kinh doanh",
        ),
    },
    "nong_nghiep": {
        "province": (
            "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm nông, lâm, thủy sản",
            "Cấp Giấy chứng nhận kiểm dịch động vật, sản phẩm động vật vận chuyển ra khỏi địa bàn cấp tỉnh",
            "Cấp giấy phép khai thác thủy sản",
            "Cấp Giấy chứng nhận đủ điều kiện buôn bán thuốc bảo vệ thực vật",
            "Cấp Giấy chứng nhận đủ điều kiện buôn bán phân bón",
            "Phê duyệt phương án khai thác thực vật rừng",
            "Cấp chứng chỉ hành nghề thú y",
        ),
        "district": (
            "Phê duyệt kế hoạch khuyến nông địa phương",
            "Hỗ trợ khôi phục sản xuất vùng bị thiệt hại do thiên tai",
        ),
        "commune": ("Xác nhận nguồn gốc lâm sản",),
    },
    "van_hoa": {
        "province": (
            "Cấp giấy phép tổ chức lễ hội",
            "Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa",
            "Công nhận hạng cơ sở lưu trú du lịch",
            "Cấp giấy phép triển lãm mỹ thuật",
            "Cấp thẻ hướng dẫn viên du lịch",
            "Cấp Giấy chứng nhận đủ điều kiện kinh doanh hoạt động thể thao",
            "Cấp giấy phép phổ biến phim",
        ),
        "district": ("Cấp Giấy phép đủ điều kiện kinh doanh dịch vụ karaoke",),
        "commune": (
            "Xét tặng danh hiệu Gia đình văn hóa hằng năm",
            "Thông báo tổ chức lễ hội cấp xã",
            "Đăng ký hoạt động thư viện tư nhân có vốn sách ban đầu từ 500 bản đến dưới 1.000 bản",
        ),
    },
    "tai_chinh": {
        "province": (
            "Đăng ký mã số đơn vị có quan hệ với ngân sách",
            "Quyết toán vốn đầu tư dự án hoàn thành",
            "Xác lập quyền sở hữu toàn dân về tài sản",
            "Mua hóa đơn lẻ",
        ),
    },
    "thong_tin_truyen_thong": {
        "province": (
            "Cấp giấy phép hoạt động in",
            "Cấp giấy phép xuất bản bản tin",
            "Cấp giấy phép thiết lập trang thông tin điện tử tổng hợp",
            "Cấp giấy phép nhập khẩu xuất bản phẩm không kinh doanh",
            "Đăng ký hoạt động cơ sở in",
        ),
    },
    "noi_vu": {
        "province": (
            "Thành lập hội",
            "Phê duyệt điều lệ hội",
            "Công nhận quỹ đủ điều kiện hoạt động và công nhận thành viên Hội đồng quản lý quỹ",
            "Tặng Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh",
            "Thi tuyển công chức",
            "Chấp thuận tổ chức cuộc lễ ngoài cơ sở tôn giáo",
        ),
        "district": (
            "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện",
            "Đăng ký bổ sung hoạt động tín ngưỡng",
        ),
        "commune": (
            "Đăng ký hoạt động tín ngưỡng",
            "Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã",
        ),
    },
    "khoa_hoc_cong_nghe": {
        "province": (
            "Cấp giấy phép tiến hành công việc bức xạ (sử dụng thiết bị X-quang chẩn đoán trong y tế)",
            "Cấp chứng chỉ nhân viên bức xạ",
            "Đăng ký kết quả thực hiện nhiệm vụ khoa học và công nghệ",
            "Cấp Giấy chứng nhận đăng ký hoạt động khoa học và công nghệ",
            "Đăng ký công bố hợp chuẩn dựa trên kết quả tự đánh giá",
            "Kiểm tra nhà nước về chất lượng hàng hóa nhóm 2 nhập khẩu",
        ),
    },
}
_LONG_FIELDS = ("dat_dai", "dau_tu", "xay_dung", "moi_truong")
