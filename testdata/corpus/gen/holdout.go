//go:build ignore

package main

import "github.com/ietf-tools/liaisond/mailproc/pdftext"

// holdoutMessages are the held-out messages of testdata/holdout that carry
// a .docx or a PDF (written with -set holdout). They reconstruct real
// statements (sources in testdata/holdout/README.md) with paraphrased text;
// their expectations were written before the extractor was run on them.
func holdoutMessages() []message {
	// 03: an IEEE 802.1 letter as a PDF; the subject wraps onto a second
	// line; the deadline is in the last paragraph.
	ieeeLetter := pdfLines(letterLines(72, 770, 15, []string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"",
		"22 November 2021",
		"",
		"To:      Lou Berger and Janos Farkas, Chairs, IETF DetNet Working Group",
		"Cc:      Paul Nikolich, Chair, IEEE 802 LMSC; John Messenger, Vice-Chair, IEEE 802.1",
		"Subject: Liaison response to work items related to deterministic",
		"         communication in ITU-T SG13",
		"",
		"Dear Lou and Janos,",
		"",
		"The IEEE 802.1 Working Group thanks ITU-T Study Group 13 for the information in its",
		"liaison statement SG13-LS217 on work items related to deterministic communication,",
		"and shares its response with the IETF DetNet WG.",
		"",
		"Deterministic communication is standardized in three coordinated places: IEEE 802.1",
		"Time-Sensitive Networking (TSN), IETF Deterministic Networking (DetNet) and 3GPP SA2.",
		"The TSN Task Group develops profiles for applications in local and metropolitan area",
		"networks (IEC/IEEE 60802, P802.1DG, P802.1DP) and relies on its coordination with the",
		"IETF and 3GPP for needs beyond them.",
		"",
		"We ask the IETF DetNet WG to review this response and to send us any comments",
		"by 31 December 2021.",
		"",
		"Sincerely,",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}))

	// 07: a 3GPP TSG SA reply LS in a .docx; IETF only in Cc.
	saNGP := docx([]string{
		"3GPP TSG SA Meeting #76\tSP-170579",
		"West Palm Beach, USA, 7 - 9 June 2017",
	}, [][2]string{
		{"Title:", "Reply LS to liaison statement on requesting support for defining next generation protocols"},
		{"Response to:", "LS from ETSI ISG NGP on requesting support for defining next generation protocols"},
		{"Release:", "Rel-15"},
		{"Work Item:", "-"},
		{"Source:", "TSG SA"},
		{"To:", "ETSI ISG NGP"},
		{"Cc:", "IETF, TSG CT, TSG RAN"},
		{"Contact Person:", "Name: Georg Mayer"},
		{"", "E-mail Address: georg.mayer@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"TSG SA thanks ETSI ISG NGP for its liaison statement on requesting support for defining next generation protocols. The statement was discussed in TSG CT, TSG RAN and TSG SA, and this reply summarizes the outcome.",
		"Given the short time frame of the 5G work (Rel-15 and Rel-16), 3GPP does not see it as feasible to start a new study on completely new protocols based on the ISG NGP requirements. The CT working groups are studying protocol requirements for 5G, and adaptations of existing protocols are in scope; ISG NGP member companies are invited to contribute to that study directly.",
		"3GPP does not intend to initiate or coordinate communication between ETSI ISG NGP and the IETF, and would be happy to consider more significant protocol changes after Rel-16.",
		"2. Actions:",
		"To ETSI ISG NGP: none.",
		"3. Date of Next TSG SA Meetings:",
		"TSG SA Meeting #77\t11 - 13 September 2017\tSapporo, JP",
	})

	// 10: an ITU-T Focus Group LS in a .docx, "LIAISON STATEMENT" as a
	// heading row between the identity rows and the labelled rows.
	fgIMT := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2013-2016",
	}, [][][]string{
		{{"FOCUS GROUP ON IMT-2020"}, {"FG IMT-2020-OLS-0004"}},
		{{"Original: English"}, {"Geneva, 5-9 December 2016"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Focus Group on IMT-2020"}},
		{{"Title:"}, {"LS on the completion of ITU-T Focus Group on IMT-2020 and start of normative work in ITU-T Study Group 13"}},
		{{"For action to:"}, {"-"}},
		{{"For information to:"}, {"IETF, 3GPP, ETSI, IEEE 802, ITU-R WP 5D"}},
		{{"Approval:"}, {"Agreed at the FG IMT-2020 meeting (Geneva, 5-9 December 2016)"}},
		{{"Deadline:"}, {"-"}},
		{{"Contact:"}, {"Peter Ashwood-Smith", "Chairman, FG IMT-2020", "E-mail: peter.ashwoodsmith@example.com"}},
	}, []string{
		"We would like to inform you that from its establishment under ITU-T Study Group 13 on 1 May 2015 until its final meeting in Geneva, 5-9 December 2016, the Focus Group on IMT-2020 identified 85 non-radio standards gaps for IMT-2020 and developed draft Recommendations and Technical Reports on network architecture with fixed-mobile convergence, network softwarization, end-to-end quality of service and network management, fronthaul/backhaul and information-centric networking.",
		"In 2017 SG13 will start normative work on the non-radio aspects of IMT-2020 in a dedicated working party, based on the Focus Group's output. The first SG13 meeting of the study period will be held in Geneva, 6-17 February 2017.",
		"SG13 appreciates your interest and continued collaboration on this topic.",
	})

	// 11: an ITU-T SG17 LS in a PDF laid out as a label/value table; the
	// title wraps in the value column; a deadline and several addressees.
	sg17 := pdfLines(append(letterLines(72, 780, 14, []string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2025-2028",
	}), append(tableLines(72, 200, 720, 14, [][2]string{
		{"Question(s):", "All/17"},
		{"", "LIAISON STATEMENT"},
		{"Source:", "ITU-T Study Group 17"},
		{"Title:", "LS on the progress of the Correspondence Group on SG17 Strategy for AI"},
		{"", "Security in Telecommunications/ICTs (CG-AISEC-STRAT)"},
		{"For action to:", "IETF IAB and IESG"},
		{"Approval:", "Agreed at ITU-T SG17 meeting (Geneva, 13-22 January 2026)"},
		{"Deadline:", "9 March 2026"},
		{"Contact:", "Arnaud Taddei, Convener, CG-AISEC-STRAT  E-mail: arnaud.taddei@example.com"},
	}), letterLines(72, 580, 14, []string{
		"ITU-T Study Group 17 is pleased to inform the IETF IAB and IESG that its April 2025",
		"meeting set up a Correspondence Group on an SG17 strategy for AI security in",
		"telecommunications/ICTs (CG-AISEC-STRAT). The group has produced a draft deliverable,",
		"\"Artificial intelligence security standardization strategy\", attached for review.",
		"SG17 would appreciate the comments of the IAB and IESG before 9 March 2026.",
	})...)...))

	// 19: an ITU-T SG15 reply LS in a .docx: heading row, reply reference in
	// the title, a contact over several paragraphs of one cell.
	sg15DWDM := docxCells([]string{
		"INTERNATIONAL TELECOMMUNICATION UNION",
		"TELECOMMUNICATION STANDARDIZATION SECTOR",
		"STUDY PERIOD 2017-2020",
	}, [][][]string{
		{{"STUDY GROUP 15"}, {"SG15-LS126"}},
		{{"Original: English"}, {"Geneva, 22 October - 2 November 2018"}},
		{{"Question(s):"}, {"6/15"}},
		{{"LIAISON STATEMENT"}},
		{{"Source:"}, {"ITU-T Study Group 15"}},
		{{"Title:"}, {"Liaison Statement to IETF CCAMP on DWDM framework (reply to IETF CCAMP WG \u2013 LS17)"}},
		{{"For action to:"}, {"-"}},
		{{"For information to:"}, {"IETF CCAMP WG"}},
		{{"Approval:"}, {"Agreed at ITU-T SG15 meeting (Geneva, 2 November 2018)"}},
		{{"Deadline:"}, {"-"}},
		{{"Contact:"}, {"Peter Stassar", "Rapporteur Q6/15", "E-mail: peter.stassar@example.com"}},
	}, []string{
		"ITU-T Study Group 15 thanks IETF CCAMP for its liaison statement asking for comments on \u201cManagement and Control of DWDM Optical Interface\u201d. The liaison arrived too late for SG15 to answer by the requested deadline; we hope the comments below, on draft-ietf-ccamp-dwdm-if-mng-ctrl-fwk-11, are still useful.",
		"The draft describes three use cases: service setup, access link monitoring and power loop control. We regard all three as matters of the operation or implementation of DWDM networks and equipment, outside the scope of our Recommendations. We found no list of specific parameters to comment on and did not pursue that part of the request further.",
	})

	// 23: a 3GPP TSG SA response LS in a .docx, to an IETF WG.
	saTEAS := docx([]string{
		"3GPP TSG SA Meeting #110\tSP-251633",
		"9 - 12 December 2025",
	}, [][2]string{
		{"Title:", "LS Response on IETF Network Slice Application in 3GPP 5G End-to-End Network Slice"},
		{"Response to:", "LS on \u201cIETF Network Slice Application in 3GPP 5G End-to-End Network Slice\u201d from IETF TEAS WG"},
		{"Release:", "Rel-19"},
		{"Work Item:", "-"},
		{"Source:", "TSG SA"},
		{"To:", "IETF TEAS WG"},
		{"Cc:", "TSG RAN, RAN WG3, SA WG2, SA WG5"},
		{"Contact Person:", "Name: Zhu Jinguo"},
		{"", "E-mail Address: zhu.jinguo@example.cn"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"SA thanks the IETF TEAS WG for its LS asking 3GPP to check whether the description of the 3GPP 5G end-to-end network slice in the TEAS document is accurate. SA notes that RAN WG3 has already answered TEAS directly in R3-257304, and gives here further feedback collected from the SA working groups.",
		"Feedback 1: the CSMF, NSMF and NSSMF mentioned in the document are not standardized slicing management functions but deployment examples; SA5 suggests describing them as such.",
		"2. Actions:",
		"To IETF TEAS WG:",
		"SA kindly asks the IETF TEAS WG to take the above feedback into account.",
		"3. Date of Next TSG SA Meetings:",
		"TSG SA Meeting #111\t10 - 13 March 2026",
	})

	// 44 (batch 2): an IEEE 802.1 letter in a .docx, to an area.
	ieeeIMDM := docx([]string{
		"IEEE 802.1 Working Group",
		"IEEE 802 LAN/MAN Standards Committee",
		"18 September 2017",
		"To: Warren Kumari and Benoit Claise, IETF Operations and Management Area Directors",
		"Subject: Liaison response to ITU - T SG15 regarding coordination on IM/DM for OAM",
		"Dear Colleagues,",
		"Thank you for your liaison response, in reference to SG15-TD29R1/PLEN Annex I. We are pleased to inform you that IEEE 802.1 approved the Project Authorization Request for IEEE P802.1Qcx (YANG Data Model for Connectivity Fault Management) at the July 2017 IEEE 802 plenary, and we note your new Q14/15 work item on Recommendation G.8052.1.",
		"We will share our UML information model and YANG data model for CFM as they progress, so that Q14/15 can base the G.8052.1 information model on them, and we welcome a joint meeting in Geneva the week before the next SG15 plenary.",
		"This liaison is copied to the IETF for information.",
		"Regards,",
		"Glenn Parsons",
		"Chair, IEEE 802.1 Working Group",
	}, nil, nil)

	// 47 (batch 3): a 3GPP SA3 LS as a .docx inside the tdoc's .zip.
	sa3Identity := docx([]string{
		"3GPP TSG-SA WG3 Meeting #123\tS3-262105",
		"Fukuoka, Japan, 18 - 22 May 2026",
	}, [][2]string{
		{"Title:", "LS on supporting transmission of large identity in EAP-AKA’"},
		{"Response to:", "-"},
		{"Release:", "Rel-20"},
		{"Study Item:", "FS_PQC_3GPP"},
		{"Source:", "SA3"},
		{"To:", "IETF EMU"},
		{"Cc:", "-"},
		{"Contact Person:", "Name: Tao Wan"},
		{"", "E-mail Address: tao.wan@example.com"},
		{"Send any reply LS to:", "3GPP Liaisons Coordinator, mailto:3GPPLiaison@etsi.org"},
		{"Attachments:", "None"},
	}, []string{
		"1. Overall Description:",
		"SA3 is studying the transition to post-quantum cryptography (PQC) in 3GPP (TR 33.703), including the computation of the Subscription Concealed Identifier (SUCI) with PQC algorithms. A SUCI computed this way may be larger than the EAP MTU of 1020 bytes and than the Ethernet MTU of 1500 bytes.",
		"The UE sends the SUCI to the EAP server in an EAP-Response/Identity or an EAP-Response/AKA-Identity message, but neither EAP (RFC 3748) nor EAP-AKA' (RFC 5448, RFC 9048) can fragment an identity that does not fit in the EAP MTU.",
		"2. Actions:",
		"To IETF EMU",
		"ACTION: SA3 kindly asks IETF EMU to consider updating EAP-AKA' so that an identity larger than the EAP MTU can be transmitted, and to inform SA3 of its decision.",
		"3. Date of Next TSG-SA WG3 Meetings:",
		"SA3#124\t10 - 14 August 2026\tMaastricht, NL",
		"SA3#125\t9 - 13 November 2026\tSan Diego, US",
	})
	sa3Zip := plainZip([][2]string{{"S3-262105.docx", string(sa3Identity)}})

	return []message{
		{
			file: "47-3gpp-sa3-zip-docx-large-identity.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4fB2kq3zLmz6
	for <statements@ietf.example>; Thu, 28 May 2026 17:31:12 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: emu-chairs@ietf.example
Subject: LS from 3GPP SA WG3: S3-262105
Date: Thu, 28 May 2026 15:31:05 +0000
Message-ID: <S3-262105.1780068665@etsi.org>
`,
			parts: []part{
				text("Dear colleagues,\n\nplease find attached an LS from 3GPP TSG SA WG3 (S3-262105).\n\nKind regards,\n3GPP Liaisons Coordinator\nMCC / ETSI, 650 route des Lucioles, 06921 Sophia Antipolis, France\n"),
				{name: "S3-262105.zip", ctype: "application/x-zip-compressed; name=\"S3-262105.zip\"", encoding: "base64", data: sa3Zip},
			},
		},
		{
			file: "44-ieee8021-docx-letter-ops-area-im-dm.eml",
			headers: `Return-Path: <glenn.parsons@example.com>
Received: from mail-ca.example.com (mail-ca.example.com [192.0.2.201])
	by mail.ietf.example (Postfix) with ESMTPS id 3xwB5c2QkNz1
	for <statements@ietf.example>; Mon, 18 Sep 2017 22:14:40 +0200 (CEST)
From: Glenn Parsons <glenn.parsons@example.com>
To: statements@ietf.example
Cc: ops-ads@ietf.example
Subject: Liaison from IEEE 802.1 to the IETF OPS Area
Date: Mon, 18 Sep 2017 20:14:33 +0000
Message-ID: <YTOPR01MB0412C1D2E3F4A5B6@YTOPR01MB0412.CANPRD01.PROD.OUTLOOK.example>
`,
			parts: []part{
				text("Hello,\n\nPlease find attached a liaison response from IEEE 802.1 to ITU-T SG15, copied to the IETF.\n\nRegards,\nGlenn\n"),
				{name: "liaison-response-ITU-T-SG15-LS43-0717-v01.docx", ctype: docxMIME, encoding: "base64", data: ieeeIMDM},
			},
		},
		{
			file: "03-ieee8021-pdf-letter-detnet-sg13-response.eml",
			headers: `Return-Path: <glenn.parsons@example.com>
Received: from mail-ca.example.com (mail-ca.example.com [192.0.2.201])
	by mail.ietf.example (Postfix) with ESMTPS id 4HyW3d1kQbz2
	for <statements@ietf.example>; Mon, 22 Nov 2021 21:40:17 +0100 (CET)
From: Glenn Parsons <glenn.parsons@example.com>
To: statements@ietf.example
Cc: detnet-chairs@ietf.example, John Messenger <jmessenger@example.com>
Subject: Liaison from IEEE 802.1
Date: Mon, 22 Nov 2021 20:40:11 +0000
Message-ID: <YT3PR01MB6025B1C2D3E4F5A6@YT3PR01MB6025.CANPRD01.PROD.OUTLOOK.example>
`,
			parts: []part{
				text("Hello,\n\nPlease find attached a liaison from IEEE 802.1.\n\nRegards,\nGlenn\n"),
				{name: "liaison-response-itu-t-SG13-LS217-determcommunics-1121-v01.pdf", ctype: "application/pdf", encoding: "base64", data: ieeeLetter},
			},
		},
		{
			file: "07-3gpp-sa-docx-reply-ngp-ietf-in-cc.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 3wpK6s1Hl9z5
	for <statements@ietf.example>; Thu, 15 Jun 2017 16:18:40 +0200 (CEST)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: ngp-support@example.org
Cc: statements@ietf.example
Subject: 3GPP TSG SA LS SP-170579
Date: Thu, 15 Jun 2017 14:18:33 +0000
Message-ID: <SP-170579.1497536313@etsi.org>
`,
			parts: []part{
				text("Dear colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\nMCC / ETSI, 650 route des Lucioles, 06921 Sophia Antipolis, France\n"),
				{name: "SP-170579.docx", ctype: docxMIME, encoding: "base64", data: saNGP},
			},
		},
		{
			file: "10-itu-fg-imt2020-docx-heading-row.eml",
			crlf: true,
			headers: `Return-Path: <tsbfgimt2020@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 3v78Jm5zQcz1
	for <statements@ietf.example>; Tue, 24 Jan 2017 12:05:51 +0100 (CET)
From: TSB FG IMT-2020 <tsbfgimt2020@itu.int>
To: "statements@ietf.example" <statements@ietf.example>
Subject: Liaison statement from ITU-T FG IMT-2020 [FG IMT-2020-OLS-0004]
Date: Tue, 24 Jan 2017 11:05:44 +0000
Message-ID: <E2C1B0A9F8D74C6B@EXCH02.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from the ITU-T Focus Group on IMT-2020.\n\nBest regards,\nTSB\n"),
				{name: "sp16-fgimt-2020-oLS-0004.docx", ctype: docxMIME, encoding: "base64", data: fgIMT},
			},
		},
		{
			file: "11-itu-sg17-pdf-ai-security-iab-iesg.eml",
			headers: `Return-Path: <tsbsg17@itu.int>
Received: from mx2.itu.int (mx2.itu.int [156.106.192.11])
	by mail.ietf.example (Postfix) with ESMTPS id 4f2Tq71XpVz6
	for <statements@ietf.example>; Fri, 30 Jan 2026 14:52:29 +0100 (CET)
From: TSB SG17 <tsbsg17@itu.int>
To: statements@ietf.example
Cc: iesg@ietf.example, iab@iab.example
Subject: Liaison statement from ITU-T SG17
Date: Fri, 30 Jan 2026 13:52:22 +0000
Message-ID: <9D2E7C4B1A0F4E38B6D5@EXCH01.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease find attached a liaison statement from ITU-T Study Group 17.\n\nBest regards,\nTSB Study Group 17 secretariat\n"),
				{name: "SG17-LS-CG-AISEC-STRAT.pdf", ctype: "application/pdf", encoding: "base64", data: sg17},
			},
		},
		{
			file: "19-itu-sg15-docx-dwdm-reply-ls17.eml",
			headers: `Return-Path: <tsbsg15@itu.int>
Received: from mx1.itu.int (mx1.itu.int [156.106.192.10])
	by mail.ietf.example (Postfix) with ESMTPS id 42jMqT4WvSz3
	for <statements@ietf.example>; Mon,  5 Nov 2018 10:31:02 +0100 (CET)
From: TSB SG15 <tsbsg15@itu.int>
To: statements@ietf.example
Cc: ccamp-chairs@ietf.example
Subject: Liaison statement from ITU-T SG15 [SG15-LS126]
Date: Mon, 5 Nov 2018 09:30:55 +0000
Message-ID: <0C4E9B2A7D1F4A63B8E5@EXCH03.itu.int>
`,
			parts: []part{
				text("Dear Sir/Madam,\n\nPlease see the attached liaison statement from ITU-T Study Group 15.\n\nTSB Study Group 15 secretariat\n"),
				{name: "SG15-LS126.docx", ctype: docxMIME, encoding: "base64", data: sg15DWDM},
			},
		},
		{
			file: "23-3gpp-sa-docx-response-teas-slicing.eml",
			headers: `Return-Path: <3GPPLiaison@etsi.org>
Received: from mail.etsi.org (mail.etsi.org [195.238.226.20])
	by mail.ietf.example (Postfix) with ESMTPS id 4dPq2y0NbTz8
	for <statements@ietf.example>; Fri, 19 Dec 2025 11:47:09 +0100 (CET)
From: 3GPP Liaisons Coordinator <3GPPLiaison@etsi.org>
To: statements@ietf.example
Cc: teas@ietf.example, teas-chairs@ietf.example
Subject: 3GPP TSG SA LS SP-251633
Date: Fri, 19 Dec 2025 10:47:02 +0000
Message-ID: <SP-251633.1766141222@etsi.org>
`,
			parts: []part{
				text("Dear IETF colleagues,\n\nplease see attached.\n\nKind regards,\n3GPP Liaisons Coordinator\n"),
				{name: "SP-251633.docx", ctype: docxMIME, encoding: "base64", data: saTEAS},
			},
		},
	}
}

// letterLines lays out one line of text per entry, top down from y, every
// step points; an empty entry leaves a blank line.
func letterLines(x, y, step float64, lines []string) []pdftext.Line {
	var out []pdftext.Line
	for _, s := range lines {
		if s != "" {
			out = append(out, pdftext.Line{X: x, Y: y, S: s})
		}
		y -= step
	}
	return out
}

// tableLines lays out a two-column label/value table, top down from y: the
// label at xl, the value at xv.
func tableLines(xl, xv, y, step float64, rows [][2]string) []pdftext.Line {
	var out []pdftext.Line
	for _, r := range rows {
		if r[0] != "" {
			out = append(out, pdftext.Line{X: xl, Y: y, S: r[0]})
		}
		if r[1] != "" {
			out = append(out, pdftext.Line{X: xv, Y: y, S: r[1]})
		}
		y -= step
	}
	return out
}
