/*
 * gencases: seeded generator of large synthetic complaint logs (投诉工单) for
 * cpl benchmarks.
 *
 *   cc -O2 -o bench/gencases bench/gencases.c
 *   bench/gencases [-n N] [-s SEED] [--traditional] [--gb18030-safe] > cases.csv
 *
 * Writes N cases (default 1000000) as RFC 4180 CSV (UTF-8, LF, minimal
 * quoting) with the 15 Chinese headers of a real export.  The output depends
 * only on N, SEED and the flags: the generator has its own PRNG (splitmix64)
 * and never reads the clock or the environment.
 *
 * What the log contains, so a benchmark exercises the real code paths:
 *   - complaint texts composed from templates for all nine categories
 *     (network, billing, service, business handling, service use, information
 *     security, marketing, unauthorized subscription, other), with the cues
 *     cplclassify looks for: media, 工信部/12345/消协, lawyers, journalists,
 *     compensation demands, anger;
 *   - customers drawn from a pool, some of them heavy callers who complain
 *     again about the same problem (repeats), plus planted bursts: many
 *     ordinary (11-18) or VIP (6-9) customers of one city about one problem
 *     within 30-50 minutes (batches; some bursts stay under those sizes), one
 *     customer calling 5-12 times within the hour about the same thing, and
 *     runs of nonsense calls from one number.  Bursts start about once every
 *     5000 cases (a few even in small logs).  At a million cases a month the
 *     ordinary volume of a big city alone passes the default batch
 *     thresholds for the most common problems; the planted bursts stand out
 *     in smaller logs;
 *   - created times increasing roughly over 2026-11 with a day/night rhythm,
 *     mostly `YYYY-MM-DD HH:MM:SS`, also ISO 8601 with +08:00, `2026/11/5 9:05`,
 *     `2026/11/5 9:05:07`, `2026年11月5日 09时05分`, a date alone, and a very
 *     few unparsable values;
 *   - agent replies following the service script and replies using the
 *     forbidden phrases (about a quarter), some empty for open cases;
 *   - about 5% of texts with an embedded line break, a very few hostile texts
 *     (formula prefixes, HTML).
 *
 * --traditional   texts and replies in traditional characters (Taiwan
 *                 standard forms), via the built-in table below, which covers
 *                 every character of the templates.
 * --gb18030-safe  only characters that GBK encodes (no emoji), so the output
 *                 converts losslessly with `iconv -t GB18030` or `-t GBK` and
 *                 back; without it a few chat-channel texts carry emoji.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ PRNG */

static uint64_t rng_state;

static uint64_t mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline uint64_t rnd(void)
{
    return mix64(rng_state += 0x9E3779B97F4A7C15ULL);
}

/* uniform in [0, n) */
static inline uint32_t rn(uint32_t n)
{
    return (uint32_t)(((rnd() >> 32) * (uint64_t)n) >> 32);
}

/* uniform in [0, 1) */
static inline double rf(void)
{
    return (double)(rnd() >> 11) * (1.0 / 9007199254740992.0);
}

static inline uint32_t rrange(uint32_t lo, uint32_t hi) /* inclusive */
{
    return lo + rn(hi - lo + 1);
}

static uint32_t pick_w(const unsigned *w, size_t n)
{
    unsigned tot = 0;
    for (size_t i = 0; i < n; i++)
        tot += w[i];
    uint32_t r = rn(tot);
    for (size_t i = 0; i < n; i++) {
        if (r < w[i])
            return (uint32_t)i;
        r -= w[i];
    }
    return (uint32_t)(n - 1);
}

/* ------------------------------------------------------------ categories */

enum { NETWORK, BILLING, SERVICE, BUSINESS, SERVICE_USE, INFOSEC, MARKETING, UNAUTH, OTHER, NCAT };

static const char *const DEPT[NCAT] = {
    "网络部", "计费中心", "客服中心", "客服中心", "网络部", "信息安全部", "市场部", "计费中心", "客服中心",
};

/* TEXT BEGIN: every string literal from here to TEXT END is converted by
 * --traditional and must be covered by the S2T table */

/*
 * Complaint bodies.  Slots: @P place, @A amount, @K payment amount, @N small
 * number, @D duration, @S value-added service, @G gift, @Y payment channel,
 * @M a date in the month, @C a service channel.
 */
static const char *T_NETWORK[] = {
    "其位于@P的手机信号近@D时有时无，室内经常只有一格，接打电话断断续续",
    "在@P手机突然没有信号，显示无服务，无法打电话也无法上网",
    "拨打其他运营商号码时经常出现单通，对方听得到自己，自己却听不到对方",
    "每天晚上高峰时段上网速度特别慢，测速不到1M，看视频一直缓冲，白天基本正常",
    "通话过程中频繁掉话，一个电话要重拨@N次，通话中还有杂音和回声",
    "在@P手机显示5G信号满格却无法上网，网页和微信都打不开",
    "新搬入的小区地下车库和电梯内完全没有信号，物业称运营商一直没有建设室内覆盖",
    "乘坐高铁和走高速公路时通话多次中断，在@P一带信号尤其差",
    "手机经常提示网络不可用，需要开关飞行模式才能恢复，已经持续@D",
};
static const char *T_BILLING[] = {
    "本月话费比平时多出@A元，自己没有打长途也没有超出套餐，怀疑被多扣费",
    "本月流量费被多扣了@A元，手机显示套餐内流量还没有用完，账单上却有超出流量费",
    "@M通过@Y缴费@K元至今未到账，手机已经被停机",
    "已经缴清欠费@N个小时了手机仍然停机，无法正常使用",
    "套餐优惠到期后自动转为标准资费，每月多扣了@A元，事先没有收到任何通知",
    "国际漫游回来后收到@A元的高额账单，出国前已经开通了漫游套餐",
    "已经办理销户，银行卡却仍被代扣费用，连续扣了@N个月",
    "账单中同一项月租费被重复收取两次，共多收了@A元",
    "购买的充值卡充值时提示已过有效期，卡面上没有注明有效期",
};
static const char *T_SERVICE[] = {
    "在营业厅办理业务时营业员态度恶劣，边玩手机边办理，问几句就不耐烦",
    "拨打10086人工服务排队等待二十多分钟无人接听，多次被挂断",
    "上次投诉后客服承诺48小时内回电，至今@D过去没有任何人联系",
    "客服代表对套餐规则的解释前后矛盾，导致自己办错了业务",
    "装维人员上门迟到两个多小时，态度蛮横，还私自收取上门费@A元",
    "营业厅只开了一个窗口，排队一个多小时，其他工作人员却在聊天",
    "营业员承诺@D内处理完毕，到现在也没有兑现，再去问说不知道这回事",
    "在线客服一直是机器人自动回复，转人工排队半天，问题始终没有解决",
    "客服代表在通话中说话冷嘲热讽，还突然挂断了电话",
};
static const char *T_BUSINESS[] = {
    "需要开具增值税专用发票，网厅只能开普通发票，营业厅又要公司授权书，来回跑了@N趟",
    "手机卡丢失后到营业厅补卡，被告知必须本人到场，本人在外地无法回来",
    "号码停机超过90天被收回，号码已经用了十几年，希望恢复原号码",
    "申请携号转网时提示存在未到期合约，但自己从未签过合约",
    "要查询一年前的通话详单，营业厅说只能查询近5个月",
    "办理套餐变更时营业员说立即生效，结果要到下个月才生效",
    "办理销户时被要求先用完剩余话费，余额不能退还",
    "办理实名登记补录时，营业员要求提供户口本等额外材料",
    "每月消费二百多元，客户星级却从四星降为三星",
    "申请宽带移机已经@D，一直没有人联系安装",
};
static const char *T_SERVICE_USE[] = {
    "家中宽带每天晚上断线好几次，重启光猫才能恢复，已经报修@N次",
    "发送短信经常提示失败，话费充足信号正常，对方也收不到",
    "公司租用的专线从昨天夜里开始中断，影响公司正常营业",
    "手机营业厅APP登录一直提示系统繁忙，无法查询话费和办理业务",
    "设置呼叫转移后不生效，来电仍然打到原手机上",
    "家里的魔百盒看直播频繁卡顿，一直在缓冲",
    "收不到银行和购物网站的验证码短信，无法登录账户",
    "千兆宽带实际测速只有一百兆左右，换了路由器也一样",
};
static const char *T_INFOSEC[] = {
    "近期每天收到十几条贷款、赌博类垃圾短信，回复退订后仍继续发送",
    "每天接到多个推销电话，对方能准确说出自己的姓名和住址，怀疑个人信息被泄露",
    "自己的号码被标记为骚扰电话，打给别人都被拦截，严重影响工作",
    "接到冒充客服的诈骗电话，称号码将被停机，要求按指示转账",
    "身份证被他人冒用，名下莫名多了@N个号码",
    "半夜经常接到响一声就挂断的陌生来电，回拨后被收取高额费用",
    "收到显示为10086的短信，点开链接后要求填写银行卡号，怀疑是伪基站",
    "营业员未核实身份就把自己的通话详单提供给了他人",
};
static const char *T_MARKETING[] = {
    "营业员推销“存话费送手机”活动时承诺手机免费，结果每月要多交@A元，合约两年",
    "参加“充@K送@A”活动，赠送的话费至今没有到账",
    "积分兑换的@G一直没有收到，积分已经被扣除",
    "每天都接到外呼营销电话推销宽带和套餐，已经明确拒绝多次仍然打来",
    "营业员承诺赠送@G，办理后至今没有兑现",
    "活动宣传时说宽带免费提速，到期后自动按高价收费，宣传时没有说明",
    "外呼人员称免费体验升级套餐，实际下个月开始收费",
    "积分莫名其妙被清零，之前没有收到任何提醒",
};
static const char *T_UNAUTH[] = {
    "查询话费发现被扣了@S功能费每月@A元，已经扣了@N个月，自己从未订购",
    "手机被开通了@S业务，没有收到任何二次确认短信",
    "家中老人的手机被订购了多个SP增值业务，每月扣费@A元，老人根本不会上网",
    "套餐在不知情的情况下被改成了@A元的高价套餐",
    "营业员在办理补卡时顺带开通了@S，没有告知",
    "退订@S后第二个月又被重新开通，又扣了@A元",
    "在网页上误点了一个广告就被订购了包月业务，每月扣费@A元",
    "营业厅工作人员以系统升级为由让其签字，事后发现被办理了融合套餐",
};
static const char *T_OTHER[] = {
    "营业厅门口停车位经常被占满，建议增加停车位",
    "在营业厅购买的手机使用不到一个月就出现屏幕花屏，营业厅让其找厂家",
    "小区楼顶新装了通信基站，担心辐射影响家人健康",
    "营业厅空调温度太低，等候区没有饮水机",
    "路边的通信线杆倾斜，存在安全隐患",
    "营业厅外墙广告灯箱晚上太亮，影响休息",
    "在营业厅遗失了随身物品，询问是否有人捡到",
    "施工队铺设光缆时挖坏了小区绿化，至今没有恢复",
};

static const char **const TPL[NCAT] = {
    T_NETWORK, T_BILLING, T_SERVICE, T_BUSINESS, T_SERVICE_USE, T_INFOSEC, T_MARKETING, T_UNAUTH, T_OTHER,
};
static const unsigned NTPL[NCAT] = {
    NELEM(T_NETWORK), NELEM(T_BILLING), NELEM(T_SERVICE), NELEM(T_BUSINESS), NELEM(T_SERVICE_USE),
    NELEM(T_INFOSEC), NELEM(T_MARKETING), NELEM(T_UNAUTH), NELEM(T_OTHER),
};

/* what else the customer said, per category */
static const char *X_NETWORK[] = {
    "，客户已尝试重启手机和重新插卡，问题依旧", "，同一地点其他运营商的手机信号正常", "，客户称换了新手机也一样",
    "，附近好几户邻居都有同样的问题",
};
static const char *X_BILLING[] = {
    "，客户已在网上营业厅查询详单，没有找到对应的使用记录", "，客户称每月都按时缴费，从来没有欠过费",
    "，客户提供了缴费截图", "，客户表示以前每个月的费用都很稳定",
};
static const char *X_SERVICE[] = {
    "，客户记得当时的工号和时间", "，客户称当时还有其他顾客在场可以作证",
    "，客户已经多次拨打10086反映，每次都说会处理", "，客户认为这种服务态度让人寒心",
};
static const char *X_BUSINESS[] = {
    "，客户已经带齐了身份证原件", "，客户称各个营业厅的说法都不一样", "，客户已经为此请假跑了好几趟",
    "，客户不理解为什么手续这么复杂",
};
static const char *X_SERVICE_USE[] = {
    "，装维人员上门看过一次，说是线路老化，但一直没有更换", "，客户已按客服指导重启设备，问题依旧",
    "，客户家里有学生需要上网课", "，客户居家办公，每天都离不开网络",
};
static const char *X_INFOSEC[] = {
    "，客户已经报警", "，客户担心个人信息被进一步泄露", "，客户已将相关号码截图保存",
    "，客户家里老人差点上当受骗",
};
static const char *X_MARKETING[] = {
    "，客户保留了当时的宣传单", "，营业员当时只是口头承诺", "，客户称身边好几个朋友都遇到了同样情况",
    "，客户认为这是虚假宣传",
};
static const char *X_UNAUTH[] = {
    "，客户从未收到过订购确认短信", "，客户称手机一直由老人使用，不会操作这些业务",
    "，客户已经在网上营业厅查到了订购记录，但订购渠道不明", "，客户称从来没有点过任何订购链接",
};
static const char *X_OTHER[] = { "，客户表示只是提个建议", "，客户称已经向营业厅现场人员反映过" };
static const char **const XTRA[NCAT] = {
    X_NETWORK, X_BILLING, X_SERVICE, X_BUSINESS, X_SERVICE_USE, X_INFOSEC, X_MARKETING, X_UNAUTH, X_OTHER,
};
static const unsigned NXTRA[NCAT] = {
    NELEM(X_NETWORK), NELEM(X_BILLING), NELEM(X_SERVICE), NELEM(X_BUSINESS), NELEM(X_SERVICE_USE),
    NELEM(X_INFOSEC), NELEM(X_MARKETING), NELEM(X_UNAUTH), NELEM(X_OTHER),
};

/* templates used for planted batches: one coverage problem, one billing problem */
#define BATCH_NET_TPL 1   /* T_NETWORK[1]: no signal */
#define BATCH_BILL_TPL 1  /* T_BILLING[1]: data charges over-deducted */

static const char *OPENER[] = {
    "客户来电反映", "用户表示", "客户反映", "用户来电称", "客户称", "用户反映", "客户投诉", "用户来电投诉",
};
static const char *OPENER_WRITTEN[] = {
    "客户在线反映", "用户留言称", "客户留言反映",
};
static const char *PESTER[] = {
    "客户再次来电催促，", "客户又一次来电，称", "客户来电询问处理进度，",
};
static const char *DETAIL[] = {
    "，已经严重影响正常工作和生活", "，客户称在网已经@N年，是老用户了", "，之前已经通过@C反映过一次",
    "，家里老人小孩都受到影响", "，客户表示非常失望", "，客户称周围的亲友也有同样情况",
    "，客户表示这已经是第二次反映此问题", "，给客户造成了不小的损失",
};
static const char *DEMAND_CORRECT[] = {
    "，要求尽快处理并回复。", "，要求核查处理。", "，要求给出明确答复。", "，要求尽快解决。",
    "，要求查明原因。", "，要求安排专人跟进。",
};
static const char *DEMAND_COMP[] = {
    "，要求退还多扣费用并给予补偿。", "，要求赔偿损失@A元。", "，要求全额退费。",
    "，要求退费并赔偿。", "，要求给予合理补偿。",
};
static const char *DEMAND_INFORM[] = {
    "。客户表示只是反映一下情况，不需要回复。", "，希望公司引起重视，无其他诉求。",
    "。客户只是告知此情况，无具体要求。",
};
static const char *CUE[] = {
    /* media */
    "客户表示如不解决将向媒体曝光。", "客户称已经联系了电视台记者。",
    /* over-level */
    "客户表示将向工信部申诉。", "客户称已拨打12345市长热线反映。", "客户表示要到消协投诉。",
    "客户表示要向通信管理局投诉。",
    /* lawyer */
    "客户称已咨询律师，将通过法律途径解决。", "客户表示保留起诉的权利。",
    /* anger */
    "客户情绪激动，强烈不满!!!", "客户非常愤怒，称你们就是骗子公司！", "客户情绪非常激动，多次要求找领导。",
};
static const char *IDENTITY[] = {
    "客户自称是报社记者，", "客户表示本人是执业律师，", "客户称是区人大代表，", "客户称是政府机关工作人员，",
};
static const char *NONSENSE[] = {
    "来电人一接通就说喂喂喂你猜我是谁，反复询问客服代表的年龄和住址，无实际业务诉求。",
    "来电人胡言乱语，称自己是玉皇大帝，要求客服立即给他充值一百万，无实际问题。",
    "啊啊啊啊啊啊 哈哈哈哈哈哈 111111",
    "来电人要求客服代表唱歌给他听，劝导无效后挂机，无业务诉求。",
    "来电人不说话，只在电话里播放音乐，约三分钟后挂机。",
};
static const char *HOSTILE[] = {
    "=HYPERLINK(\"http://x\",\"点我\") ", "<script>alert(1)</script>", "+86 ", "@所有人 ", "-",
};
static const char *EMOJI[] = { "😡", "🙏🙏", "😭", "👎" };

static const char *S_PLACE[] = {
    "所住小区", "单位写字楼内", "工业园区厂房内", "地铁站附近", "火车站候车室", "学校宿舍",
    "商业街一带", "老城区家中", "开发区公司", "乡镇家中", "医院住院部", "高新区",
};
static const char *S_DURATION[] = { "两天", "三天", "一周", "十多天", "半个月", "一个月" };
static const char *S_SERVICE[] = {
    "视频彩铃", "阅读包月", "游戏包月", "音乐会员", "云盘会员", "来电秀", "天气预报短信", "健康资讯",
    "流量加油包", "视频会员", "彩铃音乐盒",
};
static const char *S_GIFT[] = { "蓝牙耳机", "电饭煲", "话费券", "流量包", "视频会员", "路由器", "电影票", "加油卡" };
static const char *S_PAY[] = { "微信", "支付宝", "银行卡", "网上营业厅", "充值卡", "自助缴费机" };
static const char *S_CHANNEL[] = { "10086热线", "营业厅", "微信公众号", "网上营业厅", "在线客服" };

/* ---- replies ---- */
static const char *R_GREET[] = {
    "您好，我是客服代表@T号，很高兴为您服务。", "您好，我是客服代表@T号。", "您好！我是@T号客服代表，",
};
static const char *R_EMPATHY[] = {
    "我非常理解您的心情，", "我非常理解您现在着急的心情，", "请您别着急，我非常理解您的心情。",
    "我理解您为什么会这么生气，换成是我也会有同样的感受。",
};
static const char *R_APOLOGY[] = { "给您带来不便非常抱歉。", "给您带来的不便，我们深表歉意。", "给您带来不便，非常抱歉！" };
static const char *R_ACT_NETWORK[] = {
    "已将您反映的情况提交网络优化部门，安排工程师到现场进行信号测试，",
    "经查询您所在区域的基站出现故障，抢修人员已在现场处理，",
};
static const char *R_ACT_BILLING[] = {
    "经核查您本月账单中的相关费用确有异常，已为您提交退费申请，",
    "已联系计费中心核查您的缴费和扣费记录，",
};
static const char *R_ACT_SERVICE[] = {
    "已将您反映的情况提交客服中心核查，并调取了相关录音，",
    "我们已对相关工作人员进行批评教育，并安排专人跟进您的问题，",
};
static const char *R_ACT_BUSINESS[] = {
    "已为您提交业务办理申请，并安排专人跟进，", "已联系营业厅为您核实办理规定，并为您预约专席办理，",
};
static const char *R_ACT_USE[] = {
    "已为您提交故障维修单，装维人员将与您联系上门检修，", "已将问题转技术部门排查处理，并对您的号码功能进行了复位，",
};
static const char *R_ACT_INFOSEC[] = {
    "已将相关号码提交信息安全部门核查处理，", "已为您登记并提交信息安全部门调查，请您注意防范，",
};
static const char *R_ACT_MARKETING[] = {
    "已联系市场部核实活动规则和当时的承诺情况，", "已为您提交活动权益补发申请，",
};
static const char *R_ACT_UNAUTH[] = {
    "已为您取消该项业务，并提交退费申请，", "已为您退订相关业务，并核查订购来源和渠道，",
};
static const char *R_ACT_OTHER[] = { "已将您的意见和建议记录并转交相关部门，", "已通知相关负责人核实处理，" };
static const char **const R_ACT[NCAT] = {
    R_ACT_NETWORK, R_ACT_BILLING, R_ACT_SERVICE, R_ACT_BUSINESS, R_ACT_USE, R_ACT_INFOSEC, R_ACT_MARKETING,
    R_ACT_UNAUTH, R_ACT_OTHER,
};
static const char *R_COMMIT[] = {
    "预计48小时内给您答复。", "我们会在3个工作日内给您回复。", "预计24小时内安排专人为您回电，请您保持电话畅通。",
    "预计２个工作日内处理完毕。", "预计４８小时内给您答复。", "相关费用将在5个工作日内退回您的账户。",
};
static const char *R_CHECK[] = { "这样处理您还满意吗？", "请问这样处理您还满意吗？", "这样处理您还满意吗?" };
static const char *R_CLOSE[] = {
    "感谢您的来电，祝您生活愉快，再见！", "感谢您的来电，祝您生活愉快，再见。", "感谢您的来电,祝您生活愉快,再见!",
};
static const char *R_BAD[] = {
    "这不是我们的事，您去找相关部门吧。", "公司的规定就是这样，我没有办法。",
    "公司的规定就是这样,我没有办法,您再投诉也没用。", "我不知道，这个问题您问营业厅吧。",
    "嗯…我不太清楚，您过几天再打来问问。", "改天再通知你。", "你看不懂中文吗？短信上写得清清楚楚。",
    "您搞错了，系统显示一切正常。", "我已经说得很清楚了，您自己再看看。", "您听明白了吗？就是这样规定的。",
    "我不懂怎么处理，您还是去营业厅吧。", "绝对不可能有这种事发生，我们的系统不会出错。",
    "我绝对没说过这种话，请您不要乱说。", "这种问题连小孩子都知道，重启一下手机就好了。",
    "你要知道，一分钱，一分货，便宜的套餐就是这样。", "按照我们的规定不能办理。", "这个业务我们不支持。",
    "您说得很有道理，但是规定就是规定。", "啊，你说什么？请大声点。", "这 不是 我们的事！",
    "您把我搞糊涂了，到底要办什么？", "我们是不会乱扣钱的，您可以到我们的营业厅打印清单。",
    "你没看见我忙着吗？请排队。", "费用是系统自动扣的，我们是不会乱扣钱的。",
};
static const char *R_NOTE_HARASS[] = { "来电人无实际诉求，已按骚扰电话处理流程礼貌结束通话。" };
/* pieces the code glues together */
enum { M_NTH_A, M_NTH_B, M_REPORT, M_MONTH, M_DAY, M_COMMA };
static const char *MISC[] = { "客户第", "次来电，称", "反映", "月", "日", "，" };
/* TEXT END */

/* every table of text that --traditional converts */
struct strtab { const char **v; size_t n; };
#define TAB(a) { (const char **)(a), NELEM(a) }
static struct strtab TEXT_TABLES[] = {
    TAB(T_NETWORK), TAB(T_BILLING), TAB(T_SERVICE), TAB(T_BUSINESS), TAB(T_SERVICE_USE), TAB(T_INFOSEC),
    TAB(T_MARKETING), TAB(T_UNAUTH), TAB(T_OTHER), TAB(X_NETWORK), TAB(X_BILLING), TAB(X_SERVICE),
    TAB(X_BUSINESS), TAB(X_SERVICE_USE), TAB(X_INFOSEC), TAB(X_MARKETING), TAB(X_UNAUTH), TAB(X_OTHER), TAB(OPENER), TAB(OPENER_WRITTEN), TAB(PESTER),
    TAB(DETAIL), TAB(DEMAND_CORRECT), TAB(DEMAND_COMP), TAB(DEMAND_INFORM), TAB(CUE), TAB(IDENTITY),
    TAB(NONSENSE), TAB(HOSTILE), TAB(S_PLACE), TAB(S_DURATION), TAB(S_SERVICE), TAB(S_GIFT), TAB(S_PAY),
    TAB(S_CHANNEL), TAB(R_GREET), TAB(R_EMPATHY), TAB(R_APOLOGY), TAB(R_ACT_NETWORK), TAB(R_ACT_BILLING),
    TAB(R_ACT_SERVICE), TAB(R_ACT_BUSINESS), TAB(R_ACT_USE), TAB(R_ACT_INFOSEC), TAB(R_ACT_MARKETING),
    TAB(R_ACT_UNAUTH), TAB(R_ACT_OTHER), TAB(R_COMMIT), TAB(R_CHECK), TAB(R_CLOSE), TAB(R_BAD),
    TAB(R_NOTE_HARASS), TAB(MISC),
};

/* ------------------------------------------------------- record fields */

static const char *const HEADER =
    "工单编号,受理时间,受理渠道,客户号码,客户级别,地市,问题发生地,投诉内容,处理工号,回复内容,"
    "首次回复时间,归档时间,工单状态,是否升级,处理部门\n";

static const char *const CITY[] = { "南京", "苏州", "无锡", "常州", "徐州", "扬州", "南通", "镇江", "泰州", "盐城" };
static const unsigned CITY_W[] = { 24, 18, 13, 10, 9, 7, 7, 5, 4, 3 };
static const char *const FAR[] = { "上海", "北京", "杭州", "深圳", "香港" };

enum { LV_NORMAL = 0, LV_SILVER, LV_GOLD, LV_DIAMOND, LV_PLATINUM, LV_5STAR, LV_4STAR, LV_3STAR, LV_ENT, LV_GOV };
static const char *const LEVEL[] = { "普通", "银卡", "金卡", "钻石卡", "白金卡", "五星", "四星", "三星", "政企客户", "政府客户" };
static const unsigned LEVEL_W[] = { 64, 8, 6, 3, 2, 5, 5, 4, 2, 1 };

enum { CH_HOTLINE = 0, CH_SHOP, CH_WEB, CH_WECHAT, CH_CHAT, CH_MIIT, CH_12315, CH_12345, CH_PROV, CH_GROUP, CH_SMS };
static const char *const CHANNEL[] = {
    "10086热线", "营业厅", "网上营业厅", "微信公众号", "在线客服", "工信部申诉", "12315", "12345市长热线",
    "省公司转办", "集团公司转办", "短信",
};
static const unsigned CHANNEL_W[] = { 46, 10, 8, 10, 10, 3, 2, 3, 3, 1, 4 };

static const char *const PHONE_PREFIX[] = {
    "134", "135", "136", "137", "138", "139", "147", "150", "151", "152", "157",
    "158", "159", "172", "178", "182", "183", "184", "187", "188", "195", "198",
};

/* time: seconds since 2026-01-01 00:00:00 local time */
#define DAY 86400L
static const long T_START = 304L * DAY;           /* 2026-11-01 00:00 */
static const long T_END = 334L * DAY;             /* 2026-12-01 00:00 */
static const long T_EXPORT = 334L * DAY + 8 * 3600; /* when the log was exported */
static const unsigned HOUR_W[24] = { 2, 1, 1, 1, 1, 1, 2, 4, 8, 10, 10, 9, 8, 8, 9, 9, 8, 7, 6, 6, 5, 4, 3, 2 };

/* ----------------------------------------------- simplified → traditional */

/*
 * Taiwan-standard forms for every character the templates above use
 * (generated from OpenCC's s2tw conversion of these very strings and checked
 * against it; regenerate when the templates change).  A few two-character
 * words whose character is written differently from its usual form come
 * first and win over the character table.
 */
/* BEGIN S2T TABLE */
static const char *const S2T_PHRASES[][2] = {
    { "一周", "一週" },
    { "反复", "反覆" },
    { "回复", "回覆" },
    { "复杂", "複雜" },
    { "注明", "註明" },
    { "答复", "答覆" },
    { "联系", "聯繫" },
    { "重复", "重複" },
};
static const uint32_t S2T_CHARS[][2] = {
    { 0x4E07, 0x842C }, { 0x4E0E, 0x8207 }, { 0x4E13, 0x5C08 }, { 0x4E1A, 0x696D }, { 0x4E22, 0x4E1F },
    { 0x4E24, 0x5169 }, { 0x4E25, 0x56B4 }, { 0x4E2A, 0x500B }, { 0x4E3A, 0x70BA }, { 0x4E48, 0x9EBC },
    { 0x4E50, 0x6A02 }, { 0x4E61, 0x9109 }, { 0x4E66, 0x66F8 }, { 0x4E70, 0x8CB7 }, { 0x4E71, 0x4E82 },
    { 0x4E8E, 0x65BC }, { 0x4E91, 0x96F2 }, { 0x4EB2, 0x89AA }, { 0x4ECE, 0x5F9E }, { 0x4EEC, 0x5011 },
    { 0x4EF7, 0x50F9 }, { 0x4F17, 0x773E }, { 0x4F18, 0x512A }, { 0x4F1A, 0x6703 }, { 0x4F20, 0x50B3 },
    { 0x4F2A, 0x507D }, { 0x4F53, 0x9AD4 }, { 0x4F59, 0x9918 }, { 0x503E, 0x50BE }, { 0x507F, 0x511F },
    { 0x5151, 0x514C }, { 0x5173, 0x95DC }, { 0x5174, 0x8208 }, { 0x5185, 0x5167 }, { 0x5199, 0x5BEB },
    { 0x51B2, 0x885D }, { 0x51B3, 0x6C7A }, { 0x51B5, 0x6CC1 }, { 0x51C6, 0x6E96 }, { 0x51E0, 0x5E7E },
    { 0x5219, 0x5247 }, { 0x522B, 0x5225 }, { 0x529D, 0x52F8 }, { 0x529E, 0x8FA6 }, { 0x52A1, 0x52D9 },
    { 0x52A8, 0x52D5 }, { 0x533A, 0x5340 }, { 0x533B, 0x91AB }, { 0x534F, 0x5354 }, { 0x5355, 0x55AE },
    { 0x5360, 0x4F54 }, { 0x5374, 0x537B }, { 0x5382, 0x5EE0 }, { 0x5385, 0x5EF3 }, { 0x53C2, 0x53C3 },
    { 0x53D1, 0x767C }, { 0x53D8, 0x8B8A }, { 0x53F0, 0x81FA }, { 0x53F7, 0x865F }, { 0x540E, 0x5F8C },
    { 0x5417, 0x55CE }, { 0x542C, 0x807D }, { 0x542F, 0x555F }, { 0x5458, 0x54E1 }, { 0x54A8, 0x8AEE },
    { 0x54CD, 0x97FF }, { 0x56ED, 0x5712 }, { 0x56F4, 0x570D }, { 0x56FD, 0x570B }, { 0x56FE, 0x5716 },
    { 0x573A, 0x5834 }, { 0x574F, 0x58DE }, { 0x5899, 0x7246 }, { 0x58F0, 0x8072 }, { 0x5904, 0x8655 },
    { 0x5907, 0x5099 }, { 0x590D, 0x5FA9 }, { 0x5934, 0x982D }, { 0x5B66, 0x5B78 }, { 0x5B9D, 0x5BF6 },
    { 0x5B9E, 0x5BE6 }, { 0x5BBD, 0x5BEC }, { 0x5BF9, 0x5C0D }, { 0x5BFC, 0x5C0E }, { 0x5C06, 0x5C07 },
    { 0x5C1D, 0x5617 }, { 0x5C3D, 0x5118 }, { 0x5E08, 0x5E2B }, { 0x5E26, 0x5E36 }, { 0x5E76, 0x4E26 },
    { 0x5E7F, 0x5EE3 }, { 0x5E93, 0x5EAB }, { 0x5E94, 0x61C9 }, { 0x5F00, 0x958B }, { 0x5F02, 0x7570 },
    { 0x5F3A, 0x5F37 }, { 0x5F53, 0x7576 }, { 0x5F55, 0x9304 }, { 0x5F84, 0x5F91 }, { 0x6000, 0x61F7 },
    { 0x6001, 0x614B }, { 0x6076, 0x60E1 }, { 0x6124, 0x61A4 }, { 0x620F, 0x6232 }, { 0x6237, 0x6236 },
    { 0x6267, 0x57F7 }, { 0x6270, 0x64FE }, { 0x62A2, 0x6436 }, { 0x62A5, 0x5831 }, { 0x62C5, 0x64D4 },
    { 0x62E6, 0x6514 }, { 0x62E8, 0x64A5 }, { 0x6302, 0x639B }, { 0x635F, 0x640D }, { 0x6361, 0x64BF },
    { 0x6362, 0x63DB }, { 0x643A, 0x651C }, { 0x65AD, 0x65B7 }, { 0x65E0, 0x7121 }, { 0x65E7, 0x820A },
    { 0x65F6, 0x6642 }, { 0x663E, 0x986F }, { 0x672F, 0x8853 }, { 0x673A, 0x6A5F }, { 0x6742, 0x96DC },
    { 0x6743, 0x6B0A }, { 0x6761, 0x689D }, { 0x6765, 0x4F86 }, { 0x6807, 0x6A19 }, { 0x6837, 0x6A23 },
    { 0x68C0, 0x6AA2 }, { 0x697C, 0x6A13 }, { 0x6A2A, 0x6A6B }, { 0x6BD5, 0x7562 }, { 0x6C14, 0x6C23 },
    { 0x6CA1, 0x6C92 }, { 0x6CC4, 0x6D29 }, { 0x6D4B, 0x6E2C }, { 0x6D82, 0x5857 }, { 0x6E29, 0x6EAB },
    { 0x6E38, 0x904A }, { 0x6EE1, 0x6EFF }, { 0x706F, 0x71C8 }, { 0x70B9, 0x9EDE }, { 0x70E6, 0x7169 },
    { 0x70ED, 0x71B1 }, { 0x732B, 0x8C93 }, { 0x73B0, 0x73FE }, { 0x7535, 0x96FB }, { 0x7545, 0x66A2 },
    { 0x76D6, 0x84CB }, { 0x76D8, 0x76E4 }, { 0x7740, 0x8457 }, { 0x7801, 0x78BC }, { 0x786E, 0x78BA },
    { 0x793C, 0x79AE }, { 0x79BB, 0x96E2 }, { 0x79CD, 0x7A2E }, { 0x79EF, 0x7A4D }, { 0x79F0, 0x7A31 },
    { 0x7A0E, 0x7A05 }, { 0x7A33, 0x7A69 }, { 0x7B7E, 0x7C3D }, { 0x7C7B, 0x985E }, { 0x7EA6, 0x7D04 },
    { 0x7EA7, 0x7D1A }, { 0x7EBF, 0x7DDA }, { 0x7EC8, 0x7D42 }, { 0x7ECF, 0x7D93 }, { 0x7ED3, 0x7D50 },
    { 0x7ED9, 0x7D66 }, { 0x7EDC, 0x7D61 }, { 0x7EDD, 0x7D55 }, { 0x7EDF, 0x7D71 }, { 0x7EE7, 0x7E7C },
    { 0x7EEA, 0x7DD2 }, { 0x7EED, 0x7E8C }, { 0x7EF4, 0x7DAD }, { 0x7EFF, 0x7DA0 }, { 0x7F06, 0x7E9C },
    { 0x7F13, 0x7DE9 }, { 0x7F34, 0x7E73 }, { 0x7F51, 0x7DB2 }, { 0x8054, 0x806F }, { 0x8303, 0x7BC4 },
    { 0x8425, 0x71DF }, { 0x84DD, 0x85CD }, { 0x865A, 0x865B }, { 0x86EE, 0x883B }, { 0x8865, 0x88DC },
    { 0x88C5, 0x88DD }, { 0x89C1, 0x898B }, { 0x89C4, 0x898F }, { 0x89C6, 0x8996 }, { 0x8BA1, 0x8A08 },
    { 0x8BA2, 0x8A02 }, { 0x8BA4, 0x8A8D }, { 0x8BA9, 0x8B93 }, { 0x8BAE, 0x8B70 }, { 0x8BAF, 0x8A0A },
    { 0x8BB0, 0x8A18 }, { 0x8BBD, 0x8AF7 }, { 0x8BBE, 0x8A2D }, { 0x8BC1, 0x8B49 }, { 0x8BC4, 0x8A55 },
    { 0x8BC8, 0x8A50 }, { 0x8BC9, 0x8A34 }, { 0x8BD5, 0x8A66 }, { 0x8BDD, 0x8A71 }, { 0x8BE2, 0x8A62 },
    { 0x8BE5, 0x8A72 }, { 0x8BE6, 0x8A73 }, { 0x8BED, 0x8A9E }, { 0x8BEF, 0x8AA4 }, { 0x8BF4, 0x8AAA },
    { 0x8BF7, 0x8ACB }, { 0x8BFA, 0x8AFE }, { 0x8BFB, 0x8B80 }, { 0x8BFE, 0x8AB2 }, { 0x8C01, 0x8AB0 },
    { 0x8C03, 0x8ABF }, { 0x8C22, 0x8B1D }, { 0x8D1F, 0x8CA0 }, { 0x8D23, 0x8CAC }, { 0x8D25, 0x6557 },
    { 0x8D26, 0x8CEC }, { 0x8D27, 0x8CA8 }, { 0x8D2D, 0x8CFC }, { 0x8D37, 0x8CB8 }, { 0x8D39, 0x8CBB },
    { 0x8D44, 0x8CC7 }, { 0x8D4C, 0x8CED }, { 0x8D54, 0x8CE0 }, { 0x8D60, 0x8D08 }, { 0x8F66, 0x8ECA },
    { 0x8F6C, 0x8F49 }, { 0x8F90, 0x8F3B }, { 0x8FB9, 0x908A }, { 0x8FC7, 0x904E }, { 0x8FD0, 0x904B },
    { 0x8FD8, 0x9084 }, { 0x8FD9, 0x9019 }, { 0x8FDB, 0x9032 }, { 0x8FDE, 0x9023 }, { 0x8FDF, 0x9072 },
    { 0x9057, 0x907A }, { 0x90BB, 0x9130 }, { 0x91CA, 0x91CB }, { 0x91CC, 0x88E1 }, { 0x949F, 0x9418 },
    { 0x94B1, 0x9322 }, { 0x94C1, 0x9435 }, { 0x94C3, 0x9234 }, { 0x94F6, 0x9280 }, { 0x94FA, 0x92EA },
    { 0x94FE, 0x93C8 }, { 0x9500, 0x92B7 }, { 0x9519, 0x932F }, { 0x9547, 0x93AE }, { 0x957F, 0x9577 },
    { 0x95E8, 0x9580 }, { 0x95EE, 0x554F }, { 0x95F4, 0x9593 }, { 0x9605, 0x95B1 }, { 0x961F, 0x968A },
    { 0x9645, 0x969B }, { 0x968F, 0x96A8 }, { 0x9690, 0x96B1 }, { 0x9875, 0x9801 }, { 0x9876, 0x9802 },
    { 0x9879, 0x9805 }, { 0x987A, 0x9806 }, { 0x987B, 0x9808 }, { 0x987E, 0x9867 }, { 0x987F, 0x9813 },
    { 0x9884, 0x9810 }, { 0x9886, 0x9818 }, { 0x9891, 0x983B }, { 0x9898, 0x984C }, { 0x989D, 0x984D },
    { 0x98DE, 0x98DB }, { 0x996D, 0x98EF }, { 0x996E, 0x98F2 }, { 0x9A8C, 0x9A57 }, { 0x9A97, 0x9A19 },
    { 0x9A9A, 0x9A37 }, { 0x9F50, 0x9F4A }, { 0x9F84, 0x9F61 },
};
/* END S2T TABLE */

static int utf8_dec(const unsigned char *s, uint32_t *cp)
{
    if (s[0] < 0x80) { *cp = s[0]; return 1; }
    if ((s[0] & 0xE0) == 0xC0) { *cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F); return 2; }
    if ((s[0] & 0xF0) == 0xE0) {
        *cp = ((uint32_t)(s[0] & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) | ((uint32_t)(s[2] & 0x3F) << 6) |
          (s[3] & 0x3F);
    return 4;
}

static int utf8_enc(uint32_t cp, char *o)
{
    if (cp < 0x80) { o[0] = (char)cp; return 1; }
    if (cp < 0x800) { o[0] = (char)(0xC0 | (cp >> 6)); o[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12)); o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18)); o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static uint32_t s2t_char(uint32_t cp)
{
    size_t lo = 0, hi = NELEM(S2T_CHARS);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (S2T_CHARS[mid][0] < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < NELEM(S2T_CHARS) && S2T_CHARS[lo][0] == cp ? S2T_CHARS[lo][1] : cp;
}

static char *to_traditional(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n * 2 + 1), *o = out;
    if (!out) {
        fputs("gencases: out of memory\n", stderr);
        exit(1);
    }
    while (*s) {
        size_t k;
        for (k = 0; k < NELEM(S2T_PHRASES); k++) {
            size_t pl = strlen(S2T_PHRASES[k][0]);
            if (pl && strncmp(s, S2T_PHRASES[k][0], pl) == 0) {
                size_t tl = strlen(S2T_PHRASES[k][1]);
                memcpy(o, S2T_PHRASES[k][1], tl);
                o += tl;
                s += pl;
                break;
            }
        }
        if (k < NELEM(S2T_PHRASES))
            continue;
        uint32_t cp;
        s += utf8_dec((const unsigned char *)s, &cp);
        o += utf8_enc(s2t_char(cp), o);
    }
    *o = '\0';
    return out;
}

/* ---------------------------------------------------------------- output */

static char obuf[1 << 20];
static size_t olen;

static void write_all(const char *p, size_t n)
{
    if (n && fwrite(p, 1, n, stdout) != n) {
        if (errno == EPIPE)
            exit(0);
        fprintf(stderr, "gencases: write error: %s\n", strerror(errno));
        exit(1);
    }
}

static void flush_out(void)
{
    write_all(obuf, olen);
    olen = 0;
}

static inline void put(const char *s, size_t n)
{
    if (olen + n > sizeof obuf) {
        flush_out();
        if (n > sizeof obuf) {
            write_all(s, n);
            return;
        }
    }
    memcpy(obuf + olen, s, n);
    olen += n;
}

static inline void puts0(const char *s) { put(s, strlen(s)); }
static inline void putc1(char c) { if (olen == sizeof obuf) flush_out(); obuf[olen++] = c; }

/* one CSV field, quoted only when it must be */
static void put_field(const char *s, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r') { q = 1; break; }
    if (!q) {
        put(s, n);
        return;
    }
    putc1('"');
    size_t from = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '"') {
            put(s + from, i + 1 - from);
            putc1('"');
            from = i + 1;
        }
    put(s + from, n - from);
    putc1('"');
}

/* --------------------------------------------------------- text builder */

struct sb { char b[4096]; size_t n; };

static inline void sb_cat(struct sb *sb, const char *s)
{
    size_t n = strlen(s);
    if (sb->n + n >= sizeof sb->b)
        n = sizeof sb->b - 1 - sb->n;
    memcpy(sb->b + sb->n, s, n);
    sb->n += n;
}

static inline void sb_uint(struct sb *sb, unsigned long v)
{
    char t[24];
    int k = 0;
    do { t[k++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (k && sb->n < sizeof sb->b - 1)
        sb->b[sb->n++] = t[--k];
}

#define PICK(a) ((a)[rn(NELEM(a))])

static const unsigned AMOUNTS[] = { 5, 10, 15, 20, 30, 38, 45, 50, 58, 68, 80, 100, 128, 150, 200, 300, 500 };
static const unsigned PAYMENTS[] = { 30, 50, 100, 200, 300 };

struct ctx { unsigned day; unsigned agent; unsigned ordinal; };

/* append template s with its slots filled */
static void expand(struct sb *sb, const char *s, const struct ctx *c)
{
    while (*s) {
        const char *at = strchr(s, '@');
        if (!at) { sb_cat(sb, s); return; }
        if (at > s) {
            size_t n = (size_t)(at - s);
            if (sb->n + n >= sizeof sb->b) n = sizeof sb->b - 1 - sb->n;
            memcpy(sb->b + sb->n, s, n);
            sb->n += n;
        }
        switch (at[1]) {
        case 'P': sb_cat(sb, PICK(S_PLACE)); break;
        case 'A': sb_uint(sb, PICK(AMOUNTS)); break;
        case 'K': sb_uint(sb, PICK(PAYMENTS)); break;
        case 'N': sb_uint(sb, rrange(2, 6)); break;
        case 'D': sb_cat(sb, PICK(S_DURATION)); break;
        case 'S': sb_cat(sb, PICK(S_SERVICE)); break;
        case 'G': sb_cat(sb, PICK(S_GIFT)); break;
        case 'Y': sb_cat(sb, PICK(S_PAY)); break;
        case 'C': sb_cat(sb, PICK(S_CHANNEL)); break;
        case 'M':
            sb_uint(sb, 11); sb_cat(sb, MISC[M_MONTH]); sb_uint(sb, 1 + rn(c->day)); sb_cat(sb, MISC[M_DAY]);
            break;
        case 'T': sb_uint(sb, c->agent); break;
        case 'R': sb_uint(sb, c->ordinal); break;
        default: sb_cat(sb, "@"); s = at + 1; continue; /* a literal @ */
        }
        s = at + 2;
    }
}

/* ------------------------------------------------------------------ time */

static long days_from_civil(long y, unsigned m, unsigned d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long yy = (long)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int)(yy + (*m <= 2));
}

static long EPOCH_DAYS; /* days_from_civil(2026,1,1) */

enum { TS_STD, TS_ISO, TS_SLASH, TS_SLASHS, TS_CN, TS_DATE };

static inline char *d2(char *o, unsigned v) { o[0] = (char)('0' + v / 10); o[1] = (char)('0' + v % 10); return o + 2; }
static inline char *d1(char *o, unsigned v) { if (v >= 10) *o++ = (char)('0' + v / 10); *o++ = (char)('0' + v % 10); return o; }

/* format t (seconds since 2026-01-01) in one of the shapes; returns length */
static size_t fmt_time(char *o0, long t, int shape)
{
    int y; unsigned mo, d;
    civil_from_days(EPOCH_DAYS + t / DAY, &y, &mo, &d);
    unsigned sod = (unsigned)(t % DAY), hh = sod / 3600, mi = sod / 60 % 60, ss = sod % 60;
    char *o = o0;
    o = d2(o, (unsigned)y / 100); o = d2(o, (unsigned)y % 100);
    switch (shape) {
    case TS_STD: case TS_ISO: case TS_DATE:
        *o++ = '-'; o = d2(o, mo); *o++ = '-'; o = d2(o, d);
        if (shape == TS_DATE) break;
        *o++ = shape == TS_ISO ? 'T' : ' ';
        o = d2(o, hh); *o++ = ':'; o = d2(o, mi); *o++ = ':'; o = d2(o, ss);
        if (shape == TS_ISO) { memcpy(o, "+08:00", 6); o += 6; }
        break;
    case TS_SLASH: case TS_SLASHS:
        *o++ = '/'; o = d1(o, mo); *o++ = '/'; o = d1(o, d); *o++ = ' ';
        o = d1(o, hh); *o++ = ':'; o = d2(o, mi);
        if (shape == TS_SLASHS) { *o++ = ':'; o = d2(o, ss); }
        break;
    case TS_CN:
        memcpy(o, "年", 3); o += 3; o = d1(o, mo); memcpy(o, "月", 3); o += 3; o = d1(o, d);
        memcpy(o, "日 ", 4); o += 4; o = d2(o, hh); memcpy(o, "时", 3); o += 3; o = d2(o, mi);
        memcpy(o, "分", 3); o += 3;
        break;
    }
    return (size_t)(o - o0);
}

static const unsigned SHAPE_W_CREATED[] = { 80, 6, 5, 4, 4, 1 };
static const unsigned SHAPE_W_LATER[] = { 92, 3, 2, 2, 1 };
static const char *const BROKEN_TS[] = { "昨天下午", "2026-11-31 10:00", "2026-13-02 08:00", "待补录" };

/* ------------------------------------------------------------- customers */

static uint64_t seed;
static uint32_t pool_size;

struct cust { unsigned city, level, sticky, fav_cat, fav_tpl; };

static struct cust customer(uint32_t idx)
{
    uint64_t h = mix64(seed ^ (0xC0FFEEULL + idx * 0x9E3779B97F4A7C15ULL));
    static unsigned city_tot, level_tot;
    if (!city_tot) {
        for (size_t i = 0; i < NELEM(CITY_W); i++) city_tot += CITY_W[i];
        for (size_t i = 0; i < NELEM(LEVEL_W); i++) level_tot += LEVEL_W[i];
    }
    struct cust c;
    unsigned r = (unsigned)(h % city_tot);
    for (c.city = 0; r >= CITY_W[c.city]; c.city++) r -= CITY_W[c.city];
    h >>= 12;
    r = (unsigned)(h % level_tot);
    for (c.level = 0; r >= LEVEL_W[c.level]; c.level++) r -= LEVEL_W[c.level];
    h >>= 12;
    c.sticky = h % 100 < 40;
    h >>= 8;
    c.fav_cat = (unsigned)(h % NCAT);
    h >>= 8;
    c.fav_tpl = (unsigned)(h % NTPL[c.fav_cat]);
    return c;
}

/* an 11-digit mobile number, distinct for distinct idx < 10^8 */
static size_t phone(char *o, uint32_t idx)
{
    const char *p = PHONE_PREFIX[mix64(seed + idx) % NELEM(PHONE_PREFIX)];
    /* a bijection of [0, 10^8): 73939133 is prime to 10 */
    uint64_t x = ((uint64_t)idx * 73939133u + mix64(seed) % 100000000u) % 100000000u;
    memcpy(o, p, 3);
    for (int i = 10; i >= 3; i--) { o[i] = (char)('0' + x % 10); x /= 10; }
    return 11;
}

static int is_vip(unsigned level)
{
    return level == LV_GOLD || level == LV_DIAMOND || level == LV_PLATINUM;
}

/* ---------------------------------------------------------------- runs */

enum { RUN_NONE, RUN_BATCH, RUN_VIP_BATCH, RUN_PESTER, RUN_HARASS };

struct run {
    int type;
    unsigned left, done, city, cat, tpl;
    uint32_t cust;
    uint32_t used[32];
    unsigned nused;
    unsigned long next_row;  /* index of the next row that belongs to the run */
    unsigned long gap;       /* rows between run rows */
    long inc;                /* the clock's largest step while the run is on */
};

static uint32_t pick_run_customer(struct run *r)
{
    for (int tries = 0; tries < 4000; tries++) {
        uint32_t idx = rn(pool_size);
        struct cust c = customer(idx);
        int ok = c.city == r->city && (r->type == RUN_VIP_BATCH ? is_vip(c.level) : c.level == LV_NORMAL);
        for (unsigned k = 0; ok && k < r->nused; k++)
            if (r->used[k] == idx) ok = 0;
        if (ok || tries == 3999) {
            if (r->nused < NELEM(r->used)) r->used[r->nused++] = idx;
            return idx;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- main */

static void usage(FILE *f)
{
    fputs("usage: gencases [-n N] [-s SEED] [--traditional] [--gb18030-safe]\n"
          "  -n N             number of cases to write (default 1000000)\n"
          "  -s SEED          seed of the generator (default 1); same seed, same output\n"
          "  --traditional    texts and replies in traditional characters\n"
          "  --gb18030-safe   only characters GBK encodes (no emoji)\n",
          f);
}

static int parse_u64(const char *s, uint64_t *v)
{
    if (!*s) return 0;
    uint64_t x = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        unsigned dgt = (unsigned)(*s - '0');
        if (x > (UINT64_MAX - dgt) / 10) return 0;
        x = x * 10 + dgt;
    }
    *v = x;
    return 1;
}

static void bad_usage(const char *fmt, const char *arg)
{
    fputs("gencases: ", stderr);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    usage(stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    uint64_t n = 1000000;
    int traditional = 0, gbsafe = 0;
    seed = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-n") == 0 || strcmp(a, "-s") == 0) {
            if (i + 1 >= argc) bad_usage("option %s needs a value", a);
            uint64_t v;
            if (!parse_u64(argv[i + 1], &v)) bad_usage("bad number: %s", argv[i + 1]);
            if (a[1] == 'n') n = v; else seed = v;
            i++;
        } else if (strncmp(a, "-n", 2) == 0 || strncmp(a, "-s", 2) == 0) {
            uint64_t v;
            if (!parse_u64(a + 2, &v)) bad_usage("bad number: %s", a + 2);
            if (a[1] == 'n') n = v; else seed = v;
        } else if (strcmp(a, "--traditional") == 0) {
            traditional = 1;
        } else if (strcmp(a, "--gb18030-safe") == 0) {
            gbsafe = 1;
        } else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else {
            bad_usage("unknown argument: %s", a);
        }
    }
    if (n > 100000000) bad_usage("-n: at most %s cases", "100000000");

    if (traditional)
        for (size_t t = 0; t < NELEM(TEXT_TABLES); t++)
            for (size_t k = 0; k < TEXT_TABLES[t].n; k++)
                TEXT_TABLES[t].v[k] = to_traditional(TEXT_TABLES[t].v[k]);

    rng_state = mix64(seed ^ 0x6A09E667F3BCC908ULL);
    EPOCH_DAYS = days_from_civil(2026, 1, 1);
    pool_size = (uint32_t)(n * 2 < 300 ? 300 : n * 2 < 100000000 ? n * 2 : 100000000); /* phone() is 1:1 below 10^8 */
    uint32_t heavy = pool_size / 250 + 1; /* a few frequent complainers open ~10% of the cases */
    const unsigned n_agents = 200;

    /* clock: rows per day follow the hour weights, ~29.5 days over n rows */
    double hw_avg = 0;
    for (int h = 0; h < 24; h++) hw_avg += HOUR_W[h];
    hw_avg /= 24;
    double base_inc = 29.5 * DAY / (double)(n ? n : 1);
    double clock = (double)T_START;
    unsigned long day_seq[64] = { 0 };

    /* runs start often enough that even small logs have a few */
    double p_run = n < 40000 ? 8.0 / (double)(n ? n : 1) : 1.0 / 5000.0;
    struct run run = { .type = RUN_NONE };

    puts0(HEADER);
    char tbuf[64];
    for (uint64_t i = 0; i < n; i++) {
        /* ---- start a run? */
        if (run.type == RUN_NONE && rf() < p_run) {
            memset(&run, 0, sizeof run);
            unsigned k = rn(100);
            run.type = k < 40 ? RUN_BATCH : k < 65 ? RUN_VIP_BATCH : k < 85 ? RUN_PESTER : RUN_HARASS;
            long window = (long)rrange(30, 40) * 60; /* with the jitter below, under 50 minutes */
            if (run.type == RUN_BATCH) {
                run.left = rn(10) < 7 ? rrange(11, 18) : rrange(6, 10);
                run.city = (unsigned)pick_w(CITY_W, 5);
                run.cat = NETWORK; run.tpl = BATCH_NET_TPL;
            } else if (run.type == RUN_VIP_BATCH) {
                run.left = rn(10) < 7 ? rrange(6, 9) : rrange(3, 5);
                run.city = (unsigned)pick_w(CITY_W, 5);
                run.cat = BILLING; run.tpl = BATCH_BILL_TPL;
            } else if (run.type == RUN_PESTER) {
                run.left = rrange(5, 12);
                run.cust = rn(pool_size);
                run.cat = rn(2) ? SERVICE_USE : NETWORK;
                run.tpl = 0; /* broadband keeps dropping / weak signal at home */
                window = (long)rrange(35, 45) * 60;
            } else {
                run.left = rrange(3, 6);
                run.cust = rn(pool_size);
                run.cat = OTHER;
            }
            /* spread the run's rows over the window at the current hour's pace */
            unsigned hour = (unsigned)(((long)clock % DAY) / 3600);
            double rows_in_window = (double)window / (base_inc * hw_avg / HOUR_W[hour]);
            run.gap = rows_in_window >= run.left ? (unsigned long)(rows_in_window / run.left) : 1;
            run.inc = window / (long)run.left; /* the clock never moves faster than this meanwhile */
            run.next_row = (unsigned long)i;
        }
        int in_run = run.type != RUN_NONE && (unsigned long)i >= run.next_row;

        /* ---- advance the clock */
        {
            long t = (long)clock;
            unsigned hour = (unsigned)((t % DAY) / 3600);
            double step = base_inc * hw_avg / HOUR_W[hour] * (0.5 + rf());
            if (run.type != RUN_NONE && step > run.inc) step = (double)run.inc;
            clock += step;
            if (clock >= (double)T_END - 1) clock = (double)T_END - 1;
        }
        long created = (long)clock;
        if (!in_run) { /* a little disorder: exports are only roughly sorted */
            long j = (long)rn(181) - 90;
            if (created + j >= T_START && created + j < T_END) created += j;
        }
        unsigned dom = (unsigned)((created / DAY) - 303); /* day of month */

        /* ---- who, what */
        uint32_t cidx;
        unsigned cat, tpl, harass = 0, pester_ord = 0;
        static struct sb run_body;
        if (in_run) {
            run.done++;
            cat = run.cat;
            tpl = run.tpl;
            if (run.type == RUN_BATCH || run.type == RUN_VIP_BATCH)
                cidx = pick_run_customer(&run);
            else
                cidx = run.cust;
            harass = run.type == RUN_HARASS;
            if (run.type == RUN_PESTER) pester_ord = run.done;
            run.next_row = (unsigned long)i + run.gap + (run.gap > 3 ? rn((unsigned)(run.gap / 4)) : 0);
            if (--run.left == 0) run.type = RUN_NONE;
        } else {
            cidx = rn(100) < 10 ? rn(heavy) : rn(pool_size);
            struct cust c0 = customer(cidx);
            if (c0.sticky && rn(2)) {
                cat = c0.fav_cat;
                tpl = c0.fav_tpl;
            } else {
                cat = rn(NCAT);
                tpl = rn(NTPL[cat]);
            }
        }
        struct cust c = customer(cidx);
        unsigned channel = (unsigned)pick_w(CHANNEL_W, NELEM(CHANNEL_W));
        if (harass || cat == OTHER) {
            if (channel >= CH_MIIT && channel <= CH_GROUP) channel = CH_HOTLINE;
        }
        int written = channel == CH_WEB || channel == CH_WECHAT || channel == CH_CHAT || channel == CH_SMS;
        unsigned agent = 1001 + (rn(100) < 40 ? rn(20) : rn(n_agents));
        struct ctx cx = { dom ? dom : 1, agent, pester_ord };

        /* ---- complaint text */
        struct sb text;
        text.n = 0;
        int urgent_cue = 0;
        if (harass) {
            expand(&text, PICK(NONSENSE), &cx);
        } else {
            if (rn(10000) == 0) sb_cat(&text, PICK(HOSTILE));
            if (pester_ord > 1) {
                if (rn(3) == 0) {
                    sb_cat(&text, MISC[M_NTH_A]); sb_uint(&text, pester_ord); sb_cat(&text, MISC[M_NTH_B]);
                } else {
                    expand(&text, PICK(PESTER), &cx);
                }
            } else if (rn(400) == 0) {
                sb_cat(&text, PICK(IDENTITY));
                sb_cat(&text, MISC[M_REPORT]);
            } else {
                sb_cat(&text, written ? PICK(OPENER_WRITTEN) : PICK(OPENER));
            }
            if (pester_ord > 1) {
                sb_cat(&text, run_body.b);
            } else {
                size_t from = text.n;
                expand(&text, TPL[cat][tpl], &cx);
                if (pester_ord == 1) {
                    memcpy(run_body.b, text.b + from, text.n - from);
                    run_body.b[text.n - from] = '\0';
                }
            }
            if (rn(100) < 75) {
                unsigned x1 = rn(NXTRA[cat]);
                sb_cat(&text, XTRA[cat][x1]);
                if (rn(100) < 25) sb_cat(&text, XTRA[cat][(x1 + 1 + rn(NXTRA[cat] - 1)) % NXTRA[cat]]);
            }
            if (rn(100) < 55) expand(&text, PICK(DETAIL), &cx);
            int nl = rn(100) < 5;
            if (nl) sb_cat(&text, "\n");
            unsigned k = rn(100);
            const char *demand;
            if (cat == OTHER)
                demand = k < 50 ? PICK(DEMAND_INFORM) : PICK(DEMAND_CORRECT);
            else if (k < 12)
                demand = PICK(DEMAND_INFORM);
            else if (k < 40 && cat != INFOSEC)
                demand = PICK(DEMAND_COMP);
            else
                demand = PICK(DEMAND_CORRECT);
            size_t cl = strlen(MISC[M_COMMA]);
            if (nl && strncmp(demand, MISC[M_COMMA], cl) == 0) demand += cl;
            expand(&text, demand, &cx);
            if (rn(100) < 12 || (pester_ord > 6 && rn(2))) {
                expand(&text, PICK(CUE), &cx);
                urgent_cue = 1;
            }
            if (written && rn(100) < 3) { /* drawn either way: the flag changes nothing else */
                const char *e = PICK(EMOJI);
                if (!gbsafe) sb_cat(&text, e);
            }
        }

        /* ---- handling: first reply, archive, status */
        long first = -1, closed = -1;
        int reply_kind; /* 0 none, 1 good, 2 bad, 3 note */
        int over = channel >= CH_MIIT && channel <= CH_GROUP;
        long age = T_EXPORT - created;
        if (harass) {
            first = created + 60 + rn(120);
            closed = first + 120 + rn(600);
            reply_kind = 3;
        } else if (rn(100) < (age < 2 * DAY ? 35u : 6u)) {
            reply_kind = 0;
        } else {
            int on_time = rn(100) < 80;
            long delay;
            if (over || urgent_cue)
                delay = on_time ? (long)rrange(20 * 60, 110 * 60) : (long)rrange(3 * 3600, 30 * 3600);
            else
                delay = on_time ? (long)rrange(8 * 60, 20 * 3600) : (long)rrange(25 * 3600, 72 * 3600);
            if (in_run && !harass) delay = (long)rrange(3 * 60, 50 * 60);
            first = created + delay;
            if (first > T_EXPORT) {
                first = -1;
                reply_kind = 0;
            } else {
                unsigned bad_p = (agent % 10) < 2 ? 55 : 18;
                reply_kind = rn(100) < bad_p ? 2 : 1;
                if (rn(100) < 68) {
                    closed = first + (long)rrange(2 * 3600, 5 * DAY);
                    if (closed > T_EXPORT) closed = -1;
                }
            }
        }
        const char *status = closed >= 0 ? "已归档" : first >= 0 && rn(2) ? "待客户确认" : "处理中";

        struct sb reply;
        reply.n = 0;
        if (reply_kind == 1) {
            int partial = rn(100) < 22;
            unsigned drop = partial ? rn(5) : 99;
            expand(&reply, PICK(R_GREET), &cx);
            if (drop != 0) sb_cat(&reply, PICK(R_EMPATHY));
            if (drop != 1) sb_cat(&reply, PICK(R_APOLOGY));
            sb_cat(&reply, R_ACT[cat][rn(2)]);
            if (drop != 2)
                sb_cat(&reply, R_COMMIT[(cat == BILLING || cat == UNAUTH) ? rn(6) : rn(5)]);
            if (drop != 3) sb_cat(&reply, PICK(R_CHECK));
            if (drop != 4) sb_cat(&reply, PICK(R_CLOSE));
        } else if (reply_kind == 2) {
            if (rn(100) < 45) expand(&reply, R_GREET[1], &cx);
            sb_cat(&reply, PICK(R_BAD));
        } else if (reply_kind == 3) {
            sb_cat(&reply, R_NOTE_HARASS[0]);
        }

        /* ---- write the record */
        unsigned dnum = (unsigned)(created / DAY);
        unsigned long seqno = ++day_seq[dnum - 304 < 64 ? dnum - 304 : 63];
        {
            int y; unsigned mo, d;
            civil_from_days(EPOCH_DAYS + created / DAY, &y, &mo, &d);
            char *o = tbuf;
            *o++ = 'G'; *o++ = 'D';
            o = d2(o, (unsigned)y / 100); o = d2(o, (unsigned)y % 100); o = d2(o, mo); o = d2(o, d);
            char digits[24];
            int k = 0;
            unsigned long v = seqno;
            do { digits[k++] = (char)('0' + v % 10); v /= 10; } while (v);
            while (k < 5) digits[k++] = '0';
            while (k) *o++ = digits[--k];
            put(tbuf, (size_t)(o - tbuf));
            putc1(',');
        }
        if (rn(50000) == 0)
            puts0(PICK(BROKEN_TS));
        else
            put(tbuf, fmt_time(tbuf, created, (int)pick_w(SHAPE_W_CREATED, NELEM(SHAPE_W_CREATED))));
        putc1(',');
        puts0(CHANNEL[channel]); putc1(',');
        put(tbuf, phone(tbuf, cidx)); putc1(',');
        puts0(LEVEL[c.level]); putc1(',');
        puts0(CITY[c.city]); putc1(',');
        {
            unsigned k = rn(100);
            if (k < 8) puts0(CITY[c.city]);
            else if (k < 11 && !in_run && (cat == NETWORK || cat == SERVICE_USE || cat == SERVICE))
                puts0(rn(2) ? CITY[rn(NELEM(CITY))] : FAR[rn(NELEM(FAR))]);
        }
        putc1(',');
        put_field(text.b, text.n); putc1(',');
        { struct sb a; a.n = 0; sb_uint(&a, agent); put(a.b, a.n); }
        putc1(',');
        put_field(reply.b, reply.n); putc1(',');
        if (first >= 0) put(tbuf, fmt_time(tbuf, first, (int)pick_w(SHAPE_W_LATER, NELEM(SHAPE_W_LATER))));
        putc1(',');
        if (closed >= 0) put(tbuf, fmt_time(tbuf, closed, (int)pick_w(SHAPE_W_LATER, NELEM(SHAPE_W_LATER))));
        putc1(',');
        puts0(status); putc1(',');
        puts0((over && rn(2)) || rn(100) < 2 ? "是" : "否"); putc1(',');
        puts0(c.level == LV_ENT && cat != OTHER ? "政企部" : DEPT[cat]);
        putc1('\n');
    }
    flush_out();
    if (fflush(stdout) != 0 || ferror(stdout)) {
        if (errno == EPIPE) return 0;
        fprintf(stderr, "gencases: write error: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}
