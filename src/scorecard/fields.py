"""Fields of procedures (lĩnh vực): the codes used in ``procedures.field`` and their Vietnamese
names, in one place for reports and forms (``FIELD_NAMES.get(code, code)``: unknown codes show
as they are)."""

from __future__ import annotations

FIELD_NAMES: dict[str, str] = {
    "dat_dai": "Đất đai", "moi_truong": "Môi trường", "xay_dung": "Xây dựng",
    "dau_tu": "Đầu tư", "kinh_doanh": "Thành lập và hoạt động doanh nghiệp, hộ kinh doanh",
    "tu_phap": "Tư pháp", "ho_tich": "Hộ tịch", "chung_thuc": "Chứng thực",
    "lao_dong": "Lao động, việc làm", "bao_tro_xa_hoi": "Bảo trợ xã hội",
    "nguoi_co_cong": "Người có công", "giao_thong": "Giao thông vận tải",
    "giao_duc": "Giáo dục và đào tạo", "y_te": "Y tế", "cong_thuong": "Công thương",
    "nong_nghiep": "Nông nghiệp", "van_hoa": "Văn hóa, thể thao và du lịch",
    "tai_chinh": "Tài chính", "thong_tin_truyen_thong": "Thông tin và truyền thông",
    "noi_vu": "Nội vụ", "khoa_hoc_cong_nghe": "Khoa học và công nghệ",
}
