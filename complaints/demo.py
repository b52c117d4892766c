"""The demo's complaints: one in every state, one sensitive, two overdue (one reached the head of
office), one appealed, one about a tranche, one also filed in SP4N-LAPOR. Written through the
services, dated back from today in working days so that the deadlines fall where they should."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from complaints import services
from complaints.models import Category, Complaint
from grants.models import Disbursement
from metro_slum.working_days import is_working_day
from participants.models import Message

# The code of the demo's public complaint, to try the status page with (demo only).
DEMO_CODE = "DEMO23"


def _working_days_ago(days: int) -> datetime.date:
    day = timezone.localdate()
    while days > 0:
        day -= datetime.timedelta(days=1)
        days -= is_working_day(day)
    return day


def _create(by, days_ago: int, **fields) -> Complaint:
    fields.setdefault("anonymous", False)
    complaint, _code = services.complaint_create(
        by=by, received_on=_working_days_ago(days_ago), **fields
    )
    return complaint


def _step(complaint, step, by, days_ago, note=""):
    on = max(_working_days_ago(days_ago), complaint.status_date)
    return services.complaint_step(complaint=complaint, step=step, by=by, on=on, note=note)


def load(groups) -> Complaint | None:
    """Add the demo's complaints once; return the public one (its code is DEMO_CODE)."""
    if Complaint.objects.exists():
        return Complaint.objects.filter(channel=Complaint.Channel.WEB, sensitive=False).first()
    User = get_user_model()
    staff, supervisor = User.objects.get(username="staf"), User.objects.get(username="supervisor")
    worker, officer = User.objects.get(username="pekerja"), User.objects.get(username="pengaduan")
    by_name = {group.name: group for group in groups}
    jamu = by_name["Kelompok Jamu Sekar Arum"]
    tranche = Disbursement.objects.filter(grant__group=jamu).order_by("date").first()
    # Received from the public page, not yet assessed (within its first-answer time).
    public, _code = services.complaint_create(
        by=None,
        category=Category.NOT_RECEIVED,
        anonymous=True,
        description=(
            "Tetangga saya anggota kelompok di Rejomulyo bilang belum menerima bantuan modal, "
            "padahal sudah diumumkan cair."
        ),
        kelurahan=by_name["Kelompok Gas Rejo Sejahtera"].kelurahan,
    )
    Complaint.objects.filter(pk=public.pk).update(check_code_hash=make_password(DEMO_CODE))
    # A member says the tranche was cut: in progress, handled by the supervisor.
    cut = _create(
        staff,
        6,
        channel=Complaint.Channel.WALK_IN,
        category=Category.AMOUNT_CUT,
        name="Sumiati",
        phone="0812 7788 1234",
        description=(
            "Uang tahap pertama yang diterima bendahara kurang Rp 500.000 dari berita acara; "
            "katanya untuk biaya administrasi."
        ),
        disbursement=tranche,
    )
    services.complaint_assign(complaint=cut, owner=supervisor, by=supervisor)
    _step(cut, "assess", supervisor, 5, "Pengaduan diterima; kami akan memeriksa bukti "
          "transfer dan menemui bendahara kelompok.")  # fmt: skip
    _step(cut, "start", supervisor, 4)
    # Wrong targeting, told to the worker in the field: assessed.
    targeting = _create(
        worker,
        3,
        channel=Complaint.Channel.FIELD,
        category=Category.WRONG_TARGETING,
        name="Pak RT 12",
        description="Warga yang punya toko besar ikut terdaftar sebagai calon penerima PKH.",
        kelurahan=jamu.kelurahan,
    )
    _step(targeting, "assess", supervisor, 2, "Akan kami cek ke data DTSEN dan musyawarah "
          "kelurahan berikutnya.")  # fmt: skip
    # An illegal fee, by WhatsApp, resolved on time; also filed in SP4N-LAPOR.
    fee = _create(
        staff,
        15,
        channel=Complaint.Channel.WHATSAPP,
        category=Category.ILLEGAL_FEE,
        name="Darmini",
        phone="+62 813 6655 4433",
        description="Ada yang meminta uang Rp 100.000 untuk mempercepat pencairan bantuan.",
        kelurahan=by_name["Kelompok Gas Iring Makmur"].kelurahan,
        lapor_ticket="LAPOR-2026-118734",
    )
    _step(fee, "assess", supervisor, 14, "Terima kasih; pencairan tidak dipungut biaya apa pun.")
    _step(fee, "resolve", supervisor, 8, "Orang tersebut bukan petugas dinas; sudah dilaporkan "
          "ke kelurahan dan warga diberi tahu lewat pertemuan kelompok.")  # fmt: skip
    # Wrong data, rejected with its reason, then appealed by the complainant.
    data = _create(
        staff,
        12,
        channel=Complaint.Channel.PHONE,
        category=Category.WRONG_DATA,
        name="Yanto",
        description="Nama saya di daftar penerima salah eja dan alamat RT-nya keliru.",
        kelurahan=by_name["Kelompok Kue Asri Manis"].kelurahan,
    )
    _step(data, "assess", supervisor, 11, "Kami cocokkan dengan KTP dan KK.")
    _step(data, "reject", supervisor, 6, "Data sudah sesuai KTP dan KK yang diserahkan; ejaan "
          "mengikuti dokumen Dukcapil.")  # fmt: skip
    services.complaint_step(
        complaint=data,
        step="appeal",
        by=staff,
        on=_working_days_ago(3),
        note="Pelapor membawa KK baru hasil perbaikan Dukcapil.",
    )
    # Sensitive: a fee asked by an officer; only the designated officer sees it.
    sensitive = _create(
        staff,
        1,
        channel=Complaint.Channel.WALK_IN,
        category=Category.STAFF_FEE,
        anonymous=True,
        description="Seorang petugas meminta bagian dari modal usaha kelompok sebagai 'ucapan "
        "terima kasih'.",
        kelurahan=jamu.kelurahan,
    )
    services.complaint_assign(complaint=sensitive, owner=officer, by=officer)
    # Overdue: never answered, past both deadlines: escalated to the head of office.
    _create(
        staff,
        25,
        channel=Complaint.Channel.PHONE,
        category=Category.SERVICE,
        name="Ibu Warsini",
        description="Sudah tiga kali datang ke kantor untuk surat keterangan, selalu disuruh "
        "kembali besok.",
        kelurahan=jamu.kelurahan,
    )
    # Overdue by a little: answered, not resolved by its date (the supervisor's).
    late = _create(
        staff,
        12,
        channel=Complaint.Channel.WALK_IN,
        category=Category.NOT_RECEIVED,
        name="Sri Lestari",
        description="Bantuan sembako bulan lalu tidak sampai ke rumah kami.",
        kelurahan=by_name["Kelompok Gas Rejo Sejahtera"].kelurahan,
    )
    _step(late, "assess", supervisor, 11, "Kami tanyakan ke penyalur.")
    _verification(tranche, worker)
    return public


def _verification(tranche, worker) -> None:
    """The jamu group's first tranche checked with its members: seven say it arrived whole,
    one that the group got less (a complaint opens), two have not been reached yet; and one
    message the gateway never took (failed after its tries)."""
    if tranche is None or not hasattr(tranche, "verification"):
        return
    answers = list(tranche.verification.answers.order_by("pk"))
    asked_on = max(tranche.date, _working_days_ago(2))
    for answer in answers[:7]:
        services.verification_answer(
            answer=answer, by=worker, value="whole", channel="visit", on=asked_on
        )
    services.verification_answer(
        answer=answers[7],
        by=worker,
        value="less",
        channel="phone",
        on=asked_on,
        amount=tranche.amount - 250_000,
        note="Kata bendahara dipotong untuk 'biaya administrasi'.",
    )
    failed = Message.objects.filter(reason=Message.Reason.VERIFICATION, status="sent").first()
    if failed is not None:
        Message.objects.filter(pk=failed.pk).update(
            status=Message.Status.FAILED,
            attempts=5,
            detail="HTTP 503 (demo: the gateway refused five times)",
            sent_at=None,
            gateway_id="",
        )
